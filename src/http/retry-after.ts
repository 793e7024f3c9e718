import { TooManyAttemptsError, type RosterError } from '../core/errors.js'

/** `Retry-After` in seconds for a lockout, so a client knows when to try again; nothing for any other error. */
export function retryAfter(error: RosterError): Record<string, string> | undefined {
  return error instanceof TooManyAttemptsError ? { 'retry-after': String(error.retryAfterSeconds) } : undefined
}
