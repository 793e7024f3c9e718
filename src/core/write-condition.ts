import { PreconditionFailedError, ValidationError } from './errors.js'

/** A condition on an update or delete, checked in the transaction that writes, so nothing can change in between. */
export interface WriteCondition {
  /** Write only if the resource's `version` is still this one (PreconditionFailedError otherwise). */
  readonly ifVersion?: number | undefined
  /**
   * Write only if this is true of the resource's id and version: the HTTP adapter's `If-Match`, which
   * compares ETags. Both conditions must hold when both are given.
   */
  readonly ifMatch?: ((id: string, version: number) => boolean) | undefined
}

/** The condition in `options`, checked for shape; ValidationError naming `ifVersion` for anything but a positive integer. */
export function parseCondition(options: WriteCondition | undefined): WriteCondition {
  if (options === undefined) return {}
  const { ifVersion, ifMatch } = options
  if (ifVersion !== undefined && (typeof ifVersion !== 'number' || !Number.isSafeInteger(ifVersion) || ifVersion < 1)) {
    throw new ValidationError('ifVersion', 'ifVersion must be a positive integer')
  }
  if (ifMatch !== undefined && typeof ifMatch !== 'function') throw new ValidationError('ifMatch', 'ifMatch must be a function')
  return { ifVersion, ifMatch }
}

/** Throws PreconditionFailedError when `current` fails the condition; call it inside the writing transaction. */
export function checkCondition(condition: WriteCondition, current: { readonly id: string; readonly version: number }): void {
  if (condition.ifVersion !== undefined && condition.ifVersion !== current.version) throw new PreconditionFailedError(current.version)
  if (condition.ifMatch && !condition.ifMatch(current.id, current.version)) throw new PreconditionFailedError(current.version)
}
