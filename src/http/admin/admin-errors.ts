import type { ErrorCode, RosterError } from '../../core/errors.js'
import { HttpError } from '../http-error.js'
import { retryAfter } from '../retry-after.js'
import type { Reply } from '../router.js'
import { toWire, type Renames } from '../wire-fields.js'

// A Record over every code, so a new code fails typecheck until it is mapped here.
const ADMIN_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  // Seed 001 answers the bootstrap key on a user route with a 400.
  bootstrap_key: 400,
  not_found: 404,
  conflict: 409,
  too_many_attempts: 429,
  precondition_failed: 412,
}

/** The admin surface's failure envelope: `{success: false, error}` (seed 001), field names in wire spelling. */
export function renderAdminError(error: RosterError | HttpError, renames: Renames): Reply {
  const status = error instanceof HttpError ? error.status : ADMIN_STATUS[error.code]
  const headers = error instanceof HttpError ? error.headers : retryAfter(error)
  // An HttpError already speaks wire names (a domain spelling sent on the wire must be named as sent).
  const message = error instanceof HttpError ? error.message : toWire(error, renames).message
  return { status, headers, body: { success: false, error: message } }
}
