import { TooManyAttemptsError } from '../errors.js'
import type { TenantId, UserId } from '../ids.js'
import type { AttemptKind, AttemptRecord } from '../ports/attempt-repository.js'
import type { Repositories, Store } from '../ports/store.js'

/** Consecutive failures allowed before attempts are refused for a while. */
export const MAX_FREE_FAILURES = 5
const FIRST_LOCKOUT_SECONDS = 30
const MAX_LOCKOUT_SECONDS = 60 * 60

/** How long attempts are refused after `failures` consecutive failures: 0 below five, then 30 s doubling to at most 1 h. */
export function lockoutSeconds(failures: number): number {
  if (failures < MAX_FREE_FAILURES) return 0
  return Math.min(FIRST_LOCKOUT_SECONDS * 2 ** Math.min(failures - MAX_FREE_FAILURES, 20), MAX_LOCKOUT_SECONDS)
}

/** The record after one more attempt at `now`: counted as failed until a success forgives it. */
function afterAttempt(record: AttemptRecord | null, now: string): AttemptRecord {
  const failures = (record?.failures ?? 0) + 1
  const seconds = lockoutSeconds(failures)
  return { failures, lockedUntil: seconds === 0 ? null : new Date(Date.parse(now) + seconds * 1000).toISOString() }
}

/**
 * Claims one attempt of `kind` for the user before it is checked, and commits it as a failure in its
 * own transaction. Counting first means the failure survives whatever the check then throws (a
 * rollback cannot erase it) and that a burst of concurrent guesses is counted guess by guess.
 * Throws TooManyAttemptsError, checking nothing, while the user is locked out.
 */
export async function claimAttempt(store: Store, tenantId: TenantId, userId: UserId, kind: AttemptKind, now: string): Promise<void> {
  await store.transaction(async (tx) => {
    const record = await tx.attempts.find(tenantId, userId, kind)
    if (record?.lockedUntil != null && record.lockedUntil > now) {
      throw new TooManyAttemptsError(Math.max(1, Math.ceil((Date.parse(record.lockedUntil) - Date.parse(now)) / 1000)))
    }
    await tx.attempts.save(tenantId, userId, kind, afterAttempt(record, now), now)
  })
}

/** A success: forgets the user's failures of `kind`. Call it inside the transaction that records the success. */
export async function forgiveAttempts(tx: Repositories, tenantId: TenantId, userId: UserId, kind: AttemptKind): Promise<void> {
  await tx.attempts.clear(tenantId, userId, kind)
}
