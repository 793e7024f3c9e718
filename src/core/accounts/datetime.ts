import * as v from 'valibot'

// A timezone is required: a bare local time would mean a different instant on every host.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2})))?$/i

/**
 * The instant `text` names, as roster stores it (`YYYY-MM-DDTHH:MM:SS.sssZ`), or null when it is
 * not an ISO 8601 date (midnight UTC) or date-time with a zone, or names no real calendar day or time.
 */
export function normalizeDateTime(text: string): string | null {
  const m = ISO.exec(text)
  if (!m) return null
  const [year, month, day, hour = 0, minute = 0, second = 0, , offsetHour = 0, offsetMinute = 0] = [
    m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9],
  ].map((part) => (part === undefined || /[zZ]/.test(part) ? undefined : Number(part.replace(/^[+-]/, ''))))
  const calendar = new Date(Date.UTC(year!, month! - 1, day!))
  // Date.UTC rolls Feb 30 into March; a real day survives the round trip.
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== day) return null
  if (hour > 23 || minute > 59 || second > 59 || offsetHour > 23 || offsetMinute > 59) return null
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text)
  if (Number.isNaN(date.getTime())) return null
  const iso = date.toISOString()
  // Years past 9999 print as +0YYYYY, and years before 1000 are typos: both would sort wrongly as text.
  return iso.length === 24 && iso >= '1000' ? iso : null
}

/** A valibot schema for an ISO 8601 date-time (or date, meaning midnight UTC), normalized to roster's stored form. */
export function dateTimeSchema(field: string) {
  const message = `${field} must be an ISO 8601 date-time with a timezone, e.g. 2026-01-26T12:00:00Z`
  return v.pipe(
    v.string(message),
    v.transform((text) => normalizeDateTime(text)),
    v.check((value) => value !== null, message),
    v.transform((value) => value as string),
  )
}
