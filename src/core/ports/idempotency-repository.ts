import type { TenantId } from '../ids.js'

/** Whose Idempotency-Keys these are: keys of two tenants, or of two API keys of one tenant, never meet. */
export interface IdempotencyScope {
  /** Null for the bootstrap key, which acts for no tenant. */
  readonly tenantId: TenantId | null
  /** The authenticating admin key's or credential's id (`bootstrap` for the bootstrap key). */
  readonly actor: string
}

/** One Idempotency-Key as stored: only hashes and a sealed answer, never the request or answer in clear. */
export interface IdempotencyEntry {
  readonly keyHash: string
  /** Tells one request from another sent with the same key. */
  readonly requestHash: string
  /** The sealed answer; null while the first request is still running. */
  readonly response: string | null
  /** While a running entry is locked, others wait; past it, the first request is taken to have died. */
  readonly lockedUntil: string
  /** After this instant the entry counts as absent. */
  readonly expiresAt: string
  readonly createdAt: string
}

/** Idempotency-Keys of one scope. No method reads or writes another scope's entries. */
export interface IdempotencyRepository {
  /** The entry for `keyHash`, expired or not, or null when there is none. */
  find(scope: IdempotencyScope, keyHash: string): Promise<IdempotencyEntry | null>
  /** Stores `entry`, replacing any entry of the same key (callers replace only expired or abandoned ones). */
  put(scope: IdempotencyScope, entry: IdempotencyEntry): Promise<void>
  /** Sets the answer of the running entry made for `requestHash`; does nothing when that entry is gone or replaced. */
  complete(scope: IdempotencyScope, keyHash: string, requestHash: string, response: string): Promise<void>
  /** Deletes the running entry made for `requestHash`, so the key can be used again; leaves a finished one alone. */
  release(scope: IdempotencyScope, keyHash: string, requestHash: string): Promise<void>
  /** Deletes up to `limit` entries of any scope that expired at or before `now`; returns how many it deleted. */
  pruneExpired(now: string, limit: number): Promise<number>
}
