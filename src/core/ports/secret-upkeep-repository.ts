import type { TenantId, UserId } from '../ids.js'
import type { TotpFactorId } from '../mfa/mfa.js'
import type { SealedSecret } from '../sealing/secret-box.js'

/** A stored TOTP secret as upkeep sees it: sealed under `keyId`, or in clear (`keyId` null) from an earlier roster. */
export interface StoredTotpSecret {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly factorId: TotpFactorId
  readonly keyId: string | null
  readonly value: string
}

/** One user's recovery codes stored by an earlier roster as bare SHA-256 hashes. */
export interface UnsaltedRecoveryCodes {
  readonly tenantId: TenantId
  readonly userId: UserId
  readonly hashes: readonly string[]
}

/**
 * Installation-wide upkeep of secrets at rest: sealing and re-sealing TOTP secrets, salting legacy
 * recovery-code hashes. It crosses tenants because a host key seals every tenant's secrets; only
 * roster's open path and key rotation use it.
 */
export interface SecretUpkeepRepository {
  /** Every key id some stored TOTP secret is sealed with. */
  sealingKeyIds(): Promise<string[]>
  /** Every TOTP secret not sealed with `keyId`, clear-text ones included. */
  totpSecretsNotSealedWith(keyId: string): Promise<StoredTotpSecret[]>
  /** Stores `sealed` as the factor's secret, replacing what was there. */
  replaceTotpSecret(tenantId: TenantId, factorId: TotpFactorId, sealed: SealedSecret): Promise<void>
  /** Recovery codes still stored as bare SHA-256 hashes, grouped by user. */
  unsaltedRecoveryCodes(): Promise<UnsaltedRecoveryCodes[]>
  /** Replaces one bare hash with its salted form; false when it is gone or was salted meanwhile. */
  saltRecoveryCode(tenantId: TenantId, userId: UserId, oldHash: string, salt: string, newHash: string): Promise<boolean>
}
