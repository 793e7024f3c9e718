import type { IncomingMessage } from 'node:http'
import type { ErrorCode, RosterError } from '../../core/errors.js'
import { HeaderError, HttpError } from '../http-error.js'
import { parsedBody } from '../read-json-body.js'
import { retryAfter } from '../retry-after.js'
import type { Reply } from '../router.js'
import { toWire, type Renames } from '../wire-fields.js'
import { JSON_API } from './iam-document.js'
import { QueryParameterError } from './iam-query.js'

// A Record over every code, so a new code fails typecheck until it is mapped here.
const IAM_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  // The bootstrap key is a valid key that may not do this: JSON:API's 403, not the admin surface's 400.
  bootstrap_key: 403,
  not_found: 404,
  conflict: 409,
  too_many_attempts: 429,
  precondition_failed: 412,
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 429: 'Too Many Requests',
  500: 'Internal Server Error',
}

const HTTP_CODES: Readonly<Record<number, string>> = {
  400: 'invalid_input', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable', 409: 'conflict',
  413: 'payload_too_large', 415: 'unsupported_media_type', 500: 'internal_error',
}

/** Wire spelling of the core's field names in IAM request documents (for `detail` and `source.pointer`). */
export const IAM_RENAMES: Renames = {
  account_type: 'accountType',
  auth_type: 'authType',
  expires_at: 'expiresAt',
  ttl_seconds: 'ttlSeconds',
  'person.first_name': 'person.firstName',
  'person.last_name': 'person.lastName',
}

const QUERY_PARAMETER = /^(filter|page|fields|included?)(\[.*\])?$|^(sort|count)$/

/** Where the error points: a query parameter, a JSON pointer into the request document, or nowhere. */
function source(field: string | undefined): Record<string, string> | undefined {
  if (field === undefined) return undefined
  if (QUERY_PARAMETER.test(field)) return { parameter: field }
  if (field.startsWith('/')) return { pointer: field }
  const role = /^roleIds\.(\d+)$/.exec(field)
  if (role) return { pointer: `/data/${role[1]}/id` }
  if (field.startsWith('person.')) return { pointer: `/data/relationships/person/data/attributes/${field.slice('person.'.length)}` }
  return { pointer: `/data/attributes/${field.replace(/\./g, '/')}` }
}

/**
 * The deepest prefix of `pointer` naming a member the request document has: JSON:API's
 * `source.pointer` must point at something that exists, so a missing `email` points at its parent.
 */
function existing(pointer: string, document: unknown): string {
  let node = document
  let found = ''
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~')
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) break
    node = (node as Record<string, unknown>)[key]
    found += `/${token}`
  }
  return found
}

/** The IAM surface's failure document: `{errors: [{status, code, title, detail, source}]}` (JSON:API 1.1). */
export function renderIamError(error: RosterError | HttpError, req?: IncomingMessage): Reply {
  const status = error instanceof HttpError ? error.status : IAM_STATUS[error.code]
  const code = error instanceof HeaderError ? error.code : error instanceof HttpError ? (HTTP_CODES[status] ?? 'error') : error.code
  const wire = toWire(error, IAM_RENAMES)
  let where = error instanceof QueryParameterError ? { parameter: error.parameter }
    : error instanceof HeaderError ? { header: error.header } : source(wire.field)
  if (where?.['pointer'] !== undefined && req) {
    const document = parsedBody(req)
    where = document === undefined ? undefined : { pointer: existing(where['pointer'], document) }
  }
  const headers = error instanceof HttpError ? error.headers : retryAfter(error)
  const entry = { status: String(status), code, title: TITLES[status] ?? 'Error', detail: wire.message, ...(where && { source: where }) }
  return { status, headers, body: { jsonapi: JSON_API, errors: [entry] } }
}
