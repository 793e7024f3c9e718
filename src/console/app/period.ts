/** A calendar month in UTC, the period every usage view shows. */
export interface Month {
  readonly year: number
  /** 1–12 */
  readonly month: number
}

export function currentMonth(now = new Date()): Month {
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 }
}

/** `2026-11` → the month; anything else → null. */
export function parseMonth(text: string | null | undefined): Month | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text ?? '')
  return match ? { year: Number(match[1]), month: Number(match[2]) } : null
}

export function monthKey(m: Month): string {
  return `${m.year}-${String(m.month).padStart(2, '0')}`
}

export function shiftMonth(m: Month, by: number): Month {
  const index = m.year * 12 + (m.month - 1) + by
  return { year: Math.floor(index / 12), month: (index % 12) + 1 }
}

export function daysIn(m: Month): number {
  return new Date(Date.UTC(m.year, m.month, 0)).getUTCDate()
}

/** Every day of the month as `YYYY-MM-DD`. */
export function monthDays(m: Month): string[] {
  return Array.from({ length: daysIn(m) }, (_, i) => `${monthKey(m)}-${String(i + 1).padStart(2, '0')}`)
}

/** The usage routes' `from`/`to`: a date-only `to` includes that whole day. */
export function monthQuery(m: Month): { from: string; to: string } {
  const days = monthDays(m)
  return { from: days[0]!, to: days[days.length - 1]! }
}

export function monthLabel(m: Month): string {
  return new Date(Date.UTC(m.year, m.month - 1, 1)).toLocaleDateString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' })
}
