/** Every way a roster call can fail on purpose. Surfaces map each code to their own status and envelope. */
export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'bootstrap_key'
  | 'not_found'
  | 'conflict'
  | 'too_many_attempts'
  | 'precondition_failed'

export class RosterError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

/** Input failed validation; `field` is the dot path of the offending field, and the message starts with it. */
export class ValidationError extends RosterError {
  constructor(field: string, message: string) {
    super('invalid_input', message, field)
  }
}

export class UnauthenticatedError extends RosterError {
  constructor(message = 'Invalid or revoked API key') {
    super('unauthenticated', message)
  }
}

export class ForbiddenError extends RosterError {
  constructor(message: string) {
    super('forbidden', message)
  }
}

/** The bootstrap key may create tenants and nothing else (the admin surface answers it with a 400). */
export class BootstrapKeyError extends RosterError {
  constructor(message = 'Bootstrap key cannot manage users. Create an admin key first.') {
    super('bootstrap_key', message)
  }
}

export class NotFoundError extends RosterError {
  constructor(message: string) {
    super('not_found', message)
  }
}

/** A uniqueness rule was broken; `field` names the taken field. */
export class ConflictError extends RosterError {
  constructor(field: string, message: string) {
    super('conflict', message, field)
  }
}

/**
 * Too many consecutive failed attempts (a password, an MFA code) for one user: further attempts are
 * refused unchecked until `retryAfterSeconds` have passed. Surfaces answer 429 with `Retry-After`.
 */
export class TooManyAttemptsError extends RosterError {
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_attempts', `Too many failed attempts: try again in ${retryAfterSeconds} seconds`)
  }
}

/**
 * A conditional write (`ifVersion`, HTTP `If-Match`) found the resource changed since the version the
 * caller read: nothing was written. Read it again, and retry the change on what is there now.
 */
export class PreconditionFailedError extends RosterError {
  constructor(readonly currentVersion: number) {
    super('precondition_failed', 'The resource has changed since it was read: read it again and retry')
  }
}

/** The storage engine failed in a way the caller cannot fix (corruption, disk full, a failed migration). */
export class StorageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StorageError'
  }
}

/**
 * The secret key roster seals secrets with is missing, malformed, or not the one the stored secrets
 * were sealed with. A deployment problem, not a caller's: the message says which key and what to do.
 */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SecretKeyError'
  }
}
