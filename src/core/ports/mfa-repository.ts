import type { TenantId, UserId } from '../ids.js'
import type { NewTotpFactor, TotpFactor, TotpFactorId } from '../mfa/mfa.js'

/** TOTP factors and recovery-code hashes of one tenant's users. No method reads or writes another tenant's rows. */
export interface MfaRepository {
  /** The user's TOTP factor, pending or confirmed, or null. */
  findTotp(tenantId: TenantId, userId: UserId): Promise<TotpFactor | null>
  /** Stores a pending factor for the user, replacing a pending one; the caller has checked none is confirmed. */
  replacePendingTotp(tenantId: TenantId, factor: NewTotpFactor): Promise<TotpFactor>
  /** Confirms the pending factor, recording `step` as used; false when it is no longer pending (or gone). */
  confirmTotp(tenantId: TenantId, id: TotpFactorId, step: number, at: string): Promise<boolean>
  /**
   * Records `step` as used when it is later than the last one used, as one compare-and-set;
   * false for a replayed or earlier step, or a factor that is gone or unconfirmed.
   */
  useTotpStep(tenantId: TenantId, id: TotpFactorId, step: number): Promise<boolean>
  /** Stores recovery-code hashes for the user, unused, with the per-user salt they were hashed under. */
  addRecoveryCodes(tenantId: TenantId, userId: UserId, hashes: readonly string[], salt: string, at: string): Promise<void>
  /** The salt the user's unused recovery codes were hashed under, or null when the user has none. */
  recoverySalt(tenantId: TenantId, userId: UserId): Promise<string | null>
  /** Marks the unused code with this hash used; false when there is none, so each code works once. */
  useRecoveryCode(tenantId: TenantId, userId: UserId, hash: string, at: string): Promise<boolean>
  /** How many of the user's recovery codes are unused. */
  countRecoveryCodes(tenantId: TenantId, userId: UserId): Promise<number>
  /** Removes every factor and recovery code of the user. */
  deleteAll(tenantId: TenantId, userId: UserId): Promise<void>
}
