import * as v from 'valibot'
import { normalizeDateTime } from '../accounts/datetime.js'
import { ValidationError } from '../errors.js'
import { HOUR_MS, type HourRange } from './usage.js'

const DAY_MS = 24 * HOUR_MS

export const PeriodInput = v.strictObject({
  from: v.optional(v.string('from must be an ISO 8601 date (YYYY-MM-DD) or timestamp')),
  to: v.optional(v.string('to must be an ISO 8601 date (YYYY-MM-DD) or timestamp')),
})
export type PeriodInput = v.InferInput<typeof PeriodInput>

/** A period as answered: ISO timestamps on whole UTC hours, `from` inclusive, `to` exclusive. */
export interface Period {
  readonly from: string
  readonly to: string
}

function parseInstant(field: 'from' | 'to', text: string): { ms: number; dateOnly: boolean } {
  const iso = normalizeDateTime(text)
  if (iso === null) throw new ValidationError(field, `${field} must be an ISO 8601 date (YYYY-MM-DD) or timestamp`)
  return { ms: Date.parse(iso), dateOnly: text.length === 10 }
}

function monthStart(ms: number): number {
  const at = new Date(ms)
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)
}

/**
 * The whole UTC hours that overlap [from, to). A date-only `to` includes that whole day. Without
 * either bound the period is the current UTC month; `from` alone runs to the end of the current
 * month (or one hour, when later), `to` alone starts at the beginning of its month. ValidationError
 * names a malformed bound, or `from` when it is after `to`.
 */
export function resolvePeriod(input: PeriodInput, nowIso: string): { range: HourRange; period: Period } {
  const fromBound = input.from === undefined ? undefined : parseInstant('from', input.from).ms
  const toBound = input.to === undefined ? undefined : parseInstant('to', input.to)
  const toMs = toBound === undefined ? undefined : toBound.dateOnly ? toBound.ms + DAY_MS : toBound.ms
  const now = Date.parse(nowIso)
  let from: number
  let to: number
  if (fromBound !== undefined && toBound !== undefined) {
    // A date-only `to` ends with its day, so `from=2026-03-01T12:00:00Z&to=2026-03-01` is that afternoon,
    // while `from=2026-03-02&to=2026-03-01` (nothing of the 1st left) is backwards.
    if (toBound.dateOnly ? fromBound >= toMs! : fromBound > toBound.ms) throw new ValidationError('from', 'from must not be after to')
    ;[from, to] = [fromBound, toMs!]
  } else if (fromBound !== undefined) {
    from = fromBound
    to = Math.max(monthStart(now) + monthLength(now), from + HOUR_MS)
  } else if (toMs !== undefined) {
    to = toMs
    // The month holding the period's last instant, so `to=2026-03-01T00:00:00Z` means February.
    from = monthStart(to - 1)
  } else {
    from = monthStart(now)
    to = from + monthLength(now)
  }
  const range = { fromHour: Math.floor(from / HOUR_MS), toHour: Math.ceil(to / HOUR_MS) }
  return {
    range,
    period: { from: new Date(range.fromHour * HOUR_MS).toISOString(), to: new Date(range.toHour * HOUR_MS).toISOString() },
  }
}

function monthLength(ms: number): number {
  const at = new Date(ms)
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) - monthStart(ms)
}
