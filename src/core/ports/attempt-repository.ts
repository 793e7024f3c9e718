import type { TenantId, UserId } from '../ids.js'

/** What an attempt counter guards: each has its own count, so a mistyped password does not lock MFA. */
export type AttemptKind = 'password' | 'mfa'

/** A user's run of failed attempts of one kind since the last success. */
export interface AttemptRecord {
  /** Consecutive failures, an attempt still being checked included. */
  readonly failures: number
  /** Attempts before this instant are refused unchecked; null when none are. */
  readonly lockedUntil: string | null
}

/** Failed-attempt counters of one tenant's users, kept in the store so a restart forgets nothing. */
export interface AttemptRepository {
  /** The user's record for `kind`, or null when it has none (no failure since the last success). */
  find(tenantId: TenantId, userId: UserId, kind: AttemptKind): Promise<AttemptRecord | null>
  /** Stores the record, replacing any earlier one; does nothing when the user is not in this tenant. */
  save(tenantId: TenantId, userId: UserId, kind: AttemptKind, record: AttemptRecord, at: string): Promise<void>
  /** Forgets the user's record for `kind`, so the next failure counts from one. */
  clear(tenantId: TenantId, userId: UserId, kind: AttemptKind): Promise<void>
}
