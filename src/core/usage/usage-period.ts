import * as v from 'valibot'
import { ValidationError } from '../errors.js'
import { HOUR_MS, type HourRange } from './usage.js'

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/

export const PeriodInput = v.strictObject({
  from: v.optional(v.string('from must be an ISO 8601 date or timestamp')),
  to: v.optional(v.string('to must be an ISO 8601 date or timestamp')),
})
export type PeriodInput = v.InferInput<typeof PeriodInput>

/** A period as answered: ISO timestamps on whole UTC hours, `to` exclusive. */
export interface Period {
  readonly from: string
  readonly to: string
}

function parseInstant(field: 'from' | 'to', value: string): { ms: number; dateOnly: boolean } {
  const dateOnly = DATE_ONLY.test(value)
  const ms = dateOnly || TIMESTAMP.test(value) ? Date.parse(dateOnly ? `${value}T00:00:00Z` : value) : Number.NaN
  // Date.parse rolls 2026-02-31 over to March; a real calendar date must survive the round trip.
  if (Number.isNaN(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== value)) {
    throw new ValidationError(field, `${field} must be an ISO 8601 date (YYYY-MM-DD) or timestamp`)
  }
  return { ms, dateOnly }
}

/**
 * The whole UTC hours that overlap [from, to). A date-only `to` includes that whole day. Without
 * `from` and `to` the period is the current UTC month. ValidationError names a malformed bound or
 * `from` after `to`.
 */
export function resolvePeriod(input: PeriodInput, nowIso: string): { range: HourRange; period: Period } {
  const now = new Date(nowIso)
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
  const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
  const from = input.from === undefined ? monthStart : parseInstant('from', input.from).ms
  let to = nextMonth
  if (input.to !== undefined) {
    const parsed = parseInstant('to', input.to)
    to = parsed.dateOnly ? parsed.ms + 24 * HOUR_MS : parsed.ms
  }
  if (input.from !== undefined && input.to === undefined && from >= to) to = Math.max(to, from + HOUR_MS)
  if (from > to) throw new ValidationError('from', 'from must not be after to')
  const range = { fromHour: Math.floor(from / HOUR_MS), toHour: Math.ceil(to / HOUR_MS) }
  return {
    range,
    period: { from: new Date(range.fromHour * HOUR_MS).toISOString(), to: new Date(range.toHour * HOUR_MS).toISOString() },
  }
}
