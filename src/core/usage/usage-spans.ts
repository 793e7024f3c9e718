import type { HourRange } from './usage.js'

const DAY_MS = 86_400_000

/** A period cut along calendar lines, so whole months and days can be read from their rollups. */
export interface UsageSpans {
  /** The hours before the first whole day and after the last one: at most 46. */
  readonly hours: readonly number[]
  /** Whole UTC days (days since the epoch) outside the whole months: at most about 60. */
  readonly days: readonly number[]
  /** Whole UTC months (months since January 1970), `from` inclusive, `to` exclusive; empty when from = to. */
  readonly months: { readonly from: number; readonly to: number }
}

/** Months since January 1970 of a day since the epoch. */
export function monthOfDay(day: number): number {
  const date = new Date(day * DAY_MS)
  return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth()
}

/** The day since the epoch on which month `month` (since January 1970) begins. */
export function firstDayOfMonth(month: number): number {
  return Date.UTC(1970 + Math.floor(month / 12), month % 12, 1) / DAY_MS
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i)

/**
 * Splits [fromHour, toHour) into stray hours, whole days and whole months whose totals, added up, are
 * the period's: a month's summary then reads one row per user from the monthly rollup, however many
 * hourly rows the month holds. Every adapter that keeps daily and monthly rollups reads them this way.
 */
export function splitHourRange({ fromHour, toHour }: HourRange): UsageSpans {
  const firstDay = Math.ceil(fromHour / 24)
  const endDay = Math.floor(toHour / 24)
  if (firstDay >= endDay) return { hours: range(fromHour, toHour), days: [], months: { from: 0, to: 0 } }
  const hours = [...range(fromHour, firstDay * 24), ...range(endDay * 24, toHour)]
  const firstMonth = monthOfDay(firstDay) + (firstDayOfMonth(monthOfDay(firstDay)) === firstDay ? 0 : 1)
  const endMonth = monthOfDay(endDay)
  if (firstMonth >= endMonth) return { hours, days: range(firstDay, endDay), months: { from: 0, to: 0 } }
  const days = [...range(firstDay, firstDayOfMonth(firstMonth)), ...range(firstDayOfMonth(endMonth), endDay)]
  return { hours, days, months: { from: firstMonth, to: endMonth } }
}
