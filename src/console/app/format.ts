const NUMBER = new Intl.NumberFormat('en')

/** 12,345 */
export function formatNumber(value: number): string {
  return NUMBER.format(value)
}

/** `2026-11-27 19:03 UTC`: one unambiguous form for every reader, whatever their locale. */
export function formatTime(iso: string | null | undefined, empty = '—'): string {
  if (!iso) return empty
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** `Nov 3` for a `2026-11-03` day. */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  return date.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' })
}

/** A user's name for lists: the name, else the email, else the id. */
export function displayName(user: { name?: string | null; email?: string | null; user_id?: string; id?: string }): string {
  return user.name || user.email || user.id || user.user_id || 'Unnamed user'
}
