import type { TenantId, UserId } from '../ids.js'
import type { UserStatus } from '../users/user.js'

/** What verifying a password needs to know about an account. */
export interface PasswordRecord {
  readonly userId: UserId
  readonly number: number
  readonly passwordHash: string | null
  readonly status: UserStatus
  readonly expiresAt: string | null
}

/** Password hashes and reset-token hashes of one tenant's users; never plain passwords or tokens. */
export interface PasswordRepository {
  // Every write below raises the user's version: what its GET shows (`auth_type`) or may show changes.
  /** The record of the user whose email is `emailLower` in this tenant, or null. */
  findByEmail(tenantId: TenantId, emailLower: string): Promise<PasswordRecord | null>
  /**
   * Stores `hash` (or clears it with null) and sets `auth_type` to `password` (or `none`), voiding any
   * outstanding reset token; false when the user is not in this tenant. Leaves `updated_at` to the caller.
   */
  setHash(tenantId: TenantId, userId: UserId, hash: string | null): Promise<boolean>
  /** Replaces the user's outstanding reset token; false when the user is not in this tenant. */
  setResetToken(tenantId: TenantId, userId: UserId, tokenHash: string, expiresAt: string): Promise<boolean>
  /** The user holding this unexpired reset token in this tenant, or null. */
  findByResetToken(tenantId: TenantId, tokenHash: string, now: string): Promise<UserId | null>
  /**
   * Atomically spends the unexpired token: stores `hash` as the new password (auth_type `password`,
   * updated_at `now`) and clears the token.
   * The user it belonged to, or null when it was spent, expired or unknown, so a token works once.
   */
  consumeResetToken(tenantId: TenantId, tokenHash: string, now: string, hash: string): Promise<UserId | null>
}
