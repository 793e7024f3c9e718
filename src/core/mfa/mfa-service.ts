import { findTenantUser } from '../account-users/account-scope.js'
import type { Clock } from '../clock.js'
import { ValidationError } from '../errors.js'
import { newId, type TenantId, type UserId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Repositories, Store } from '../ports/store.js'
import { requirePermission, type AdminPrincipal, type Principal } from '../principal.js'
import type { SecretBox } from '../sealing/secret-box.js'
import { claimAttempt, forgiveAttempts, protectOwner } from '../users/user-policy.js'
import {
  CodeInput,
  MfaStateError,
  StartEnrolmentInput,
  type MfaConfirmation,
  type MfaEnrolment,
  type MfaStatus,
  type MfaVerification,
  type TotpFactor,
  type TotpFactorId,
  totpSealContext,
} from './mfa.js'
import { generateRecoveryCodes, hashRecoveryCode, newRecoverySalt, normalizeRecoveryCode } from './recovery-codes.js'
import { base32Decode, generateTotpSecret, matchTotp, otpauthUri } from './totp.js'
import { auditActor, recordAudit, type AuditActor } from '../audit/audit-trail.js'

export const DEFAULT_TOTP_ISSUER = 'roster'

const invalidCode = () => new ValidationError('code', 'code is not a current authentication code or an unused recovery code')
const notEnabled = () => new MfaStateError('MFA is not enabled for this user')
const alreadyEnabled = () => new MfaStateError('MFA is already enabled for this user: reset it before enrolling again')

/**
 * TOTP (RFC 6238) factors and one-time recovery codes of the principal's tenant's users; every
 * call needs `manage_users`. Secrets are stored sealed by `box`, recovery codes as salted scrypt
 * hashes. Codes are checked outside transactions; each acceptance is one compare-and-set inside
 * one, so a code (or recovery code) is accepted once however calls interleave.
 */
/**
 * Removes every factor and recovery code of the user inside `tx`, and clears the MFA attempt count so a
 * new enrolment starts clean. Recorded as `mfa.reset` when there was something to remove.
 */
export async function resetFactors(tx: Repositories, who: AuditActor, tenantId: TenantId, userId: UserId, at: string): Promise<void> {
  const factor = await tx.mfa.findTotp(tenantId, userId)
  const codes = await tx.mfa.countRecoveryCodes(tenantId, userId)
  await tx.mfa.deleteAll(tenantId, userId)
  await tx.attempts.clear(tenantId, userId, 'mfa')
  if (factor || codes > 0) {
    await recordAudit(tx, who, tenantId, {
      action: 'mfa.reset', targetType: 'user', targetId: userId, before: { mfa: factor?.status === 'confirmed' ? 'enabled' : 'pending' }, after: { mfa: 'none' },
    }, at)
  }
}

export function createMfaService(store: Store, clock: Clock, box: SecretBox) {
  const nowSeconds = () => Date.parse(clock.now()) / 1000

  /** The user's factor, or null; NotFoundError for an unknown user. With `changing`, the owner policy is checked too. */
  async function factorOf(admin: AdminPrincipal, userId: string, changing = false): Promise<TotpFactor | null> {
    return store.read(async (r) => {
      const user = await findTenantUser(r, admin.tenantId, userId)
      if (changing) await protectOwner(r, admin, user.id, 'MFA')
      return r.mfa.findTotp(admin.tenantId, user.id)
    })
  }

  function matchingStep(factor: TotpFactor, code: string): number {
    const key = base32Decode(box.open(factor.secret, totpSealContext(factor.userId)))
    const step = key && /^\d{6}$/.test(code) ? matchTotp(key, code, nowSeconds()) : null
    if (step === null) throw invalidCode()
    return step
  }

  return {
    /**
     * Starts a TOTP enrolment, replacing a pending one; the secret is returned here only. An admin
     * key cannot enrol (or confirm, or reset) the tenant owner's MFA: ForbiddenError.
     * MfaStateError when the user already has confirmed MFA.
     */
    async startEnrolment(principal: Principal, userId: string, input: StartEnrolmentInput = {}): Promise<MfaEnrolment> {
      const admin = requirePermission(principal, 'manage_users')
      const { issuer = DEFAULT_TOTP_ISSUER } = parseInput(StartEnrolmentInput, input)
      const secret = generateTotpSecret()
      const user = await store.transaction(async (tx) => {
        const user = await findTenantUser(tx, admin.tenantId, userId)
        await protectOwner(tx, admin, user.id, 'MFA')
        if ((await tx.mfa.findTotp(admin.tenantId, user.id))?.status === 'confirmed') throw alreadyEnabled()
        // Sealed inside the transaction, so a key rotation either sees this row or seals it under the new key.
        const sealed = box.seal(secret, totpSealContext(user.id))
        const at = clock.now()
        await tx.mfa.replacePendingTotp(admin.tenantId, { id: newId<TotpFactorId>(), userId: user.id, secret: sealed, createdAt: at })
        await recordAudit(tx, auditActor(admin), admin.tenantId, {
          action: 'mfa.enrolment_started', targetType: 'user', targetId: user.id, secrets: ['totpSecret'],
        }, at)
        return user
      })
      return { secret, otpauthUri: otpauthUri({ issuer, label: user.email ?? user.name, secret }) }
    },

    /**
     * Confirms the pending enrolment with a current code and returns the recovery codes (shown
     * here only). ValidationError naming `code` for a wrong code; MfaStateError with nothing pending.
     */
    async confirm(principal: Principal, userId: string, input: CodeInput): Promise<MfaConfirmation> {
      const admin = requirePermission(principal, 'manage_users')
      const { code } = parseInput(CodeInput, input)
      const factor = await factorOf(admin, userId, true)
      if (factor?.status === 'confirmed') throw alreadyEnabled()
      if (!factor) throw new MfaStateError('No MFA enrolment to confirm: start one first')
      await claimAttempt(store, admin.tenantId, factor.userId, 'mfa', clock.now())
      const step = matchingStep(factor, code.replace(/\s/g, ''))
      const recoveryCodes = generateRecoveryCodes()
      const salt = newRecoverySalt()
      const hashes = await Promise.all(recoveryCodes.map((recovery) => hashRecoveryCode(recovery, salt)))
      const at = clock.now()
      await store.transaction(async (tx) => {
        if (!(await tx.mfa.confirmTotp(admin.tenantId, factor.id, step, at))) {
          throw new MfaStateError('The enrolment was replaced or reset meanwhile: start again')
        }
        await tx.mfa.addRecoveryCodes(admin.tenantId, factor.userId, hashes, salt, at)
        await forgiveAttempts(tx, admin.tenantId, factor.userId, 'mfa')
        await recordAudit(tx, auditActor(admin), admin.tenantId, {
          action: 'mfa.enabled', targetType: 'user', targetId: factor.userId, before: { mfa: 'pending' }, after: { mfa: 'enabled' }, secrets: ['recoveryCodes'],
        }, at)
      })
      return { recoveryCodes }
    },

    /**
     * Accepts a current TOTP code (never the same time step twice) or an unused recovery code
     * (spending it). ValidationError naming `code` otherwise, the same for a wrong and a replayed code;
     * MfaStateError without confirmed MFA. Attempt limits apply: five failures in a row, then
     * TooManyAttemptsError for 30 s, doubling up to 1 h; a success resets the count.
     */
    async verify(principal: Principal, userId: string, input: CodeInput): Promise<MfaVerification> {
      const admin = requirePermission(principal, 'manage_users')
      const { code } = parseInput(CodeInput, input)
      const factor = await factorOf(admin, userId)
      if (factor?.status !== 'confirmed') throw notEnabled()
      const { tenantId } = admin
      // Counted before the code is looked at; whatever is thrown below, the failure has been committed.
      await claimAttempt(store, tenantId, factor.userId, 'mfa', clock.now())
      const digits = code.replace(/\s/g, '')
      // Six digits are a TOTP code; recovery codes are ten characters, so the two never overlap.
      if (/^\d{6}$/.test(digits)) {
        const step = matchingStep(factor, digits)
        return store.transaction(async (tx) => {
          if (!(await tx.mfa.useTotpStep(tenantId, factor.id, step))) {
            if ((await tx.mfa.findTotp(tenantId, factor.userId))?.id !== factor.id) throw notEnabled()
            // A replay gets a wrong code's answer: "already used" would confirm the guess was right.
            throw invalidCode()
          }
          await forgiveAttempts(tx, tenantId, factor.userId, 'mfa')
          return { method: 'totp', recoveryCodesRemaining: await tx.mfa.countRecoveryCodes(tenantId, factor.userId) }
        })
      }
      const normalized = normalizeRecoveryCode(code)
      const salt = normalized === null ? null : await store.read((r) => r.mfa.recoverySalt(tenantId, factor.userId))
      if (normalized === null || salt === null) throw invalidCode()
      const hash = await hashRecoveryCode(normalized, salt)
      return store.transaction(async (tx) => {
        const at = clock.now()
        if (!(await tx.mfa.useRecoveryCode(tenantId, factor.userId, hash, at))) throw invalidCode()
        await forgiveAttempts(tx, tenantId, factor.userId, 'mfa')
        await recordAudit(tx, auditActor(admin), tenantId, { action: 'mfa.recovery_code_used', targetType: 'user', targetId: factor.userId }, at)
        return { method: 'recovery_code', recoveryCodesRemaining: await tx.mfa.countRecoveryCodes(tenantId, factor.userId) }
      })
    },

    /** Whether the user has MFA, pending or enabled, and how many recovery codes are left. */
    async status(principal: Principal, userId: string): Promise<MfaStatus> {
      const admin = requirePermission(principal, 'manage_users')
      return store.read(async (r) => {
        const user = await findTenantUser(r, admin.tenantId, userId)
        const factor = await r.mfa.findTotp(admin.tenantId, user.id)
        const state = !factor ? 'none' : factor.status === 'confirmed' ? 'enabled' : 'pending'
        return { state, confirmedAt: factor?.confirmedAt ?? null, recoveryCodesRemaining: await r.mfa.countRecoveryCodes(admin.tenantId, user.id) }
      })
    },

    /**
     * Removes every factor and recovery code of the user in one transaction; a user without MFA
     * is fine. Unlike seed 003's reset-mfa endpoint the host (a trusted principal) may reset the
     * tenant's owner here; an admin key may not (ForbiddenError).
     */
    async reset(principal: Principal, userId: string): Promise<void> {
      const admin = requirePermission(principal, 'manage_users')
      await store.transaction(async (tx) => {
        const user = await findTenantUser(tx, admin.tenantId, userId)
        await protectOwner(tx, admin, user.id, 'MFA')
        await resetFactors(tx, auditActor(admin), admin.tenantId, user.id, clock.now())
      })
    },
  }
}

export type MfaService = ReturnType<typeof createMfaService>
