import type { ErrorCode, RosterError } from '../../core/errors.js'
import { HeaderError, HttpError } from '../http-error.js'
import { retryAfter } from '../retry-after.js'
import type { Reply } from '../router.js'
import type { Renames } from '../wire-fields.js'

// A Record over every code, so a new code fails typecheck until it is mapped here.
const ACCOUNT_USERS_STATUS: Record<ErrorCode, number> = {
  // Seed 003 answers every validation failure, a taken email included, with 422.
  invalid_input: 422,
  unauthenticated: 401,
  forbidden: 403,
  // The bootstrap key is a valid key that may not act on any account: seed 003 has no 400 for it.
  bootstrap_key: 403,
  not_found: 404,
  conflict: 422,
  too_many_attempts: 429,
  precondition_failed: 412,
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error',
}

const HTTP_CODES: Readonly<Record<number, string>> = {
  400: 'malformed_json', 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large',
  415: 'unsupported_media_type', 422: 'invalid_input', 500: 'internal_error',
}

/** Wire spelling of the core's field names on this surface (seed 003's body fields). */
export const ACCOUNT_USERS_RENAMES: Renames = {
  email_address: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
}

/** Where an error points: a body member (JSON pointer) or a query parameter. */
export type ErrorSource = { readonly pointer: string } | { readonly parameter: string } | { readonly header: string }

/** One 422 entry per offending request field, for failures found before the core (unknown fields, repeated parameters). */
export class RequestFieldsError extends HttpError {
  constructor(readonly entries: readonly { readonly detail: string; readonly source: ErrorSource }[]) {
    super(422, entries.map((entry) => entry.detail).join('; '))
  }
}

const QUERY_FIELDS = new Set(['limit', 'offset'])

/** The JSON pointer (RFC 6901) of a body member given by its dot path. */
export function pointerTo(path: string): string {
  return `/${path.split('.').map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`
}

/**
 * The error's field in wire spelling, and its message with the leading field name respelled (the
 * core starts every field message with it; the rest of the text is left alone, so "valid email
 * address" stays English).
 */
function wireOf(error: RosterError): { field?: string; message: string } {
  const { field, message } = error
  if (field === undefined) return { message }
  const wire = Object.entries(ACCOUNT_USERS_RENAMES).find(([, domain]) => domain === field)?.[0] ?? field
  return { field: wire, message: message.startsWith(field) ? wire + message.slice(field.length) : message }
}

function sourceOf(field: string | undefined): ErrorSource | undefined {
  if (field === undefined || field === 'body' || field === 'query') return undefined
  return QUERY_FIELDS.has(field) ? { parameter: field } : { pointer: pointerTo(field) }
}

/**
 * Seed 003's failure body: `{errors: [{status, code, title, detail, source?}]}`, field names in wire
 * spelling. `status` repeats the HTTP status as a string, as JSON:API error objects carry it.
 */
export function renderAccountUsersError(error: RosterError | HttpError): Reply {
  const status = error instanceof HttpError ? error.status : ACCOUNT_USERS_STATUS[error.code]
  const title = TITLES[status] ?? 'Error'
  const entry = (code: string, detail: string, source?: ErrorSource) => ({ status: String(status), code, title, detail, ...(source && { source }) })
  const headers = error instanceof HttpError ? error.headers : retryAfter(error)
  if (error instanceof RequestFieldsError) {
    return { status, body: { errors: error.entries.map(({ detail, source }) => entry('invalid_input', detail, source)) } }
  }
  if (error instanceof HeaderError) return { status, headers, body: { errors: [entry(error.code, error.message, { header: error.header })] } }
  const code = error instanceof HttpError ? (HTTP_CODES[status] ?? 'error') : error.code
  const wire = error instanceof HttpError ? { field: undefined, message: error.message } : wireOf(error)
  return { status, headers, body: { errors: [entry(code, wire.message, sourceOf(wire.field))] } }
}
