import { HttpError } from './http-error.js'

/** Longest request target served; a longer one is a 414 (Node already refuses headers past 16 KiB). */
export const MAX_TARGET_LENGTH = 8 * 1024
/** Most query parameters a request may carry: no route reads more than a few dozen. */
export const MAX_QUERY_PARAMETERS = 256

// `%` not followed by two hex digits: decodeURIComponent would throw on it later, in some route.
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/
// An encoded NUL or other C0 control: never part of an id, a filter or a cursor.
const ENCODED_CONTROL = /%[01][0-9A-Fa-f]|%7[Ff]/
const ABSOLUTE = /^https?:\/\//i
// Joined to an origin-form target as text, never resolved against it: `//host:port/` stays a path.
const ORIGIN = 'http://roster.invalid'

/**
 * The request target as a URL. Origin-form (`/path?query`) and absolute-form (`http://host/path`,
 * which RFC 9112 says servers must accept) are read; anything else (authority-form, `*`, an
 * unparseable absolute URL, a query with bad percent-encoding, encoded control characters or too
 * many parameters) is an HttpError 400, and an overlong target a 414.
 */
export function parseRequestTarget(target: string | undefined): URL {
  if (!target) throw new HttpError(400, 'Missing request target')
  if (target.length > MAX_TARGET_LENGTH) throw new HttpError(414, `Request target longer than ${MAX_TARGET_LENGTH} characters`)
  // Only the query is checked here: a path that does not decode names no resource, and the router answers it 404.
  const query = target.indexOf('?') === -1 ? '' : target.slice(target.indexOf('?'))
  if (BAD_PERCENT.test(query)) throw new HttpError(400, 'Malformed percent-encoding in the query string')
  if (ENCODED_CONTROL.test(query)) throw new HttpError(400, 'Encoded control characters are not allowed in the query string')
  let url: URL
  try {
    if (target.startsWith('/')) url = new URL(ORIGIN + target)
    else if (ABSOLUTE.test(target)) url = new URL(target)
    else throw new Error('not origin-form or absolute-form')
  } catch {
    throw new HttpError(400, 'Malformed request target')
  }
  let count = 0
  for (const _ of url.searchParams.keys()) {
    if (++count > MAX_QUERY_PARAMETERS) throw new HttpError(400, `More than ${MAX_QUERY_PARAMETERS} query parameters`)
  }
  return url
}

/** The path part of a raw target, for choosing which surface answers when the target is malformed. */
export function rawPath(target: string | undefined): string {
  const path = (target ?? '').split(/[?#]/, 1)[0] ?? ''
  return ABSOLUTE.test(path) ? path.replace(/^https?:\/\/[^/]*/i, '') : path
}
