import * as v from 'valibot'
import { RosterError } from '../errors.js'
import type { TenantId, UserId } from '../ids.js'
import type { SealedSecret } from '../sealing/secret-box.js'
import { textSchema } from '../text-schema.js'

export type TotpFactorId = string & { readonly __brand: 'TotpFactorId' }

/** A user's TOTP factor: `pending` from enrolment until a first code confirms it. */
export interface TotpFactor {
  readonly id: TotpFactorId
  readonly tenantId: TenantId
  readonly userId: UserId
  /**
   * The base32 shared secret, sealed. Verifying a code needs the secret itself, so unlike keys and
   * recovery codes it cannot be a hash; it is sealed with the host's key instead (see SecretBox).
   */
  readonly secret: SealedSecret
  readonly status: 'pending' | 'confirmed'
  /** The last time step a code was accepted for; codes of it or earlier steps are replays. */
  readonly lastUsedStep: number | null
  readonly createdAt: string
  readonly confirmedAt: string | null
}

export type NewTotpFactor = Omit<TotpFactor, 'tenantId' | 'status' | 'lastUsedStep' | 'confirmedAt'>

/** What a TOTP secret's seal is bound to: its user, so a sealed secret copied to another user's row does not open. */
export function totpSealContext(userId: UserId): string {
  return `totp:${userId}`
}

/** What a new enrolment returns; the secret is shown here and never again. */
export interface MfaEnrolment {
  readonly secret: string
  /** Scanned by authenticator apps (as a QR code) instead of typing the secret. */
  readonly otpauthUri: string
}

/** A confirmed enrolment's one-time recovery codes, shown here and never again. */
export interface MfaConfirmation {
  readonly recoveryCodes: readonly string[]
}

export interface MfaVerification {
  readonly method: 'totp' | 'recovery_code'
  readonly recoveryCodesRemaining: number
}

export interface MfaStatus {
  /** `none` without a factor, `pending` between enrolment and confirmation, `enabled` after. */
  readonly state: 'none' | 'pending' | 'enabled'
  readonly confirmedAt: string | null
  readonly recoveryCodesRemaining: number
}

/** The user's MFA state does not allow the call (nothing to confirm or verify, already enrolled, the owner). */
export class MfaStateError extends RosterError {
  constructor(message: string) {
    super('invalid_input', message)
  }
}

export const StartEnrolmentInput = v.strictObject({
  issuer: v.optional(textSchema('issuer', 100)),
})
export type StartEnrolmentInput = v.InferInput<typeof StartEnrolmentInput>

const CODE_MESSAGE = 'code is required and must be a string'

export const CodeInput = v.strictObject({
  code: v.pipe(v.string(CODE_MESSAGE), v.trim(), v.nonEmpty(CODE_MESSAGE), v.maxLength(64, 'code must be at most 64 characters')),
})
export type CodeInput = v.InferInput<typeof CodeInput>
