/** A place in the console: `#/users/ID?month=2026-11` is `{ path: ['users', 'ID'], query: month=2026-11 }`. */
export interface Place {
  readonly path: readonly string[]
  readonly query: URLSearchParams
}

// Hash routes: every place is a URL the browser's back button and bookmarks keep, with no server-side routing.
export function currentPlace(): Place {
  const hash = location.hash.replace(/^#\/?/, '')
  const [path = '', query = ''] = hash.split('?', 2)
  return { path: path.split('/').filter((p) => p !== '').map(decodeURIComponent), query: new URLSearchParams(query) }
}

/** The hash for a place, leaving out empty query values. */
export function href(path: readonly string[], query: Readonly<Record<string, string | number | null | undefined>> = {}): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value))
  const text = params.toString()
  return `#/${path.map(encodeURIComponent).join('/')}${text ? `?${text}` : ''}`
}

export function go(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'))
  else location.hash = hash
}
