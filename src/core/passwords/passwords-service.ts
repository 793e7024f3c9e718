import { findAccount, requireIamPermission, type AccountRef } from '../accounts/account-access.js'
import type { Account } from '../accounts/account.js'
import type { Clock } from '../clock.js'
import { ValidationError } from '../errors.js'
import type { TenantId, UserId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Repositories, Store } from '../ports/store.js'
import type { AdminPrincipal, Principal } from '../principal.js'
import { hashSecret } from '../secrets.js'
import { accessRefusal, claimAttempt, forgiveAttempts, protectOwner } from '../users/user-policy.js'
import { decoyHash, hashPassword, passwordSchema, verifyPassword } from './password-hash.js'
import { DEFAULT_RESET_TOKEN_TTL_SECONDS, generateResetToken, MAX_RESET_TOKEN_TTL_SECONDS } from './reset-token.js'
import { auditActor, recordAudit, RESET_TOKEN_ACTOR } from '../audit/audit-trail.js'

/** A reset token as issued: the only time the token itself is shown. */
export interface IssuedResetToken {
  readonly token: string
  readonly expiresAt: string
  readonly account: Account
}

const spentToken = () => new ValidationError('token', 'token is invalid, expired or already used')

function ttl(seconds: unknown): number {
  if (seconds === undefined) return DEFAULT_RESET_TOKEN_TTL_SECONDS
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 60 || seconds > MAX_RESET_TOKEN_TTL_SECONDS) {
    throw new ValidationError('ttlSeconds', `ttlSeconds must be an integer from 60 to ${MAX_RESET_TOKEN_TTL_SECONDS}`)
  }
  return seconds
}

/** The account whose password `admin` wants to change: NotFoundError when absent, ForbiddenError for the owner and an admin key. */
async function passwordHolder(r: Repositories, admin: AdminPrincipal, ref: AccountRef): Promise<Account> {
  const account = await findAccount(r, admin.tenantId, ref)
  await protectOwner(r, admin, account.userId, 'password')
  return account
}

/**
 * Account passwords: scrypt hashes computed outside transactions, single-use reset tokens stored as
 * SHA-256, and verification under the user policy's access rules and attempt limits.
 */
export function createPasswordsService(store: Store, clock: Clock) {
  /** Stores `hash` (null removes the password), checking the owner policy again inside the transaction. */
  async function storeHash(tx: Repositories, admin: AdminPrincipal, userId: UserId, hash: string | null): Promise<Account> {
    const found = await passwordHolder(tx, admin, userId)
    const at = clock.now()
    await tx.passwords.setHash(admin.tenantId, found.userId, hash)
    await tx.accounts.update(admin.tenantId, found.userId, { updatedAt: at })
    await forgiveAttempts(tx, admin.tenantId, found.userId, 'password')
    await recordAudit(tx, auditActor(admin), admin.tenantId, {
      action: hash === null ? 'password.cleared' : 'password.set', targetType: 'user', targetId: found.userId,
      before: { authType: found.authType }, after: { authType: hash === null ? 'none' : 'password' }, secrets: ['password'],
    }, at)
    return findAccount(tx, admin.tenantId, found.id)
  }

  return {
    /**
     * Sets the account's password (auth_type becomes `password`) and voids any reset token. Needs
     * `manage_users`; an admin key cannot set the owner's (ForbiddenError), only the host can.
     */
    async set(principal: Principal, account: AccountRef, password: string): Promise<Account> {
      const admin = requireIamPermission(principal, 'manage_users')
      const newPassword = parseInput(passwordSchema(), password, 'password')
      // Found and allowed before hashing: naming no account, or the owner with an admin key, costs no scrypt work.
      const { userId } = await store.read((r) => passwordHolder(r, admin, account))
      const hash = await hashPassword(newPassword)
      return store.transaction((tx) => storeHash(tx, admin, userId, hash))
    },

    /** Removes the account's password (auth_type becomes `none`) and any reset token. Needs `manage_users`. */
    async clear(principal: Principal, account: AccountRef): Promise<Account> {
      const admin = requireIamPermission(principal, 'manage_users')
      return store.transaction(async (tx) => storeHash(tx, admin, (await passwordHolder(tx, admin, account)).userId, null))
    },

    /**
     * The account when `password` is its password, else null; also null when the email is unknown, no
     * password is set, or the user policy refuses the account (suspended, pending, past `expires_at`).
     * Takes as long either way. Every attempt on a known account counts until one succeeds: after five
     * in a row, TooManyAttemptsError (checking nothing) for 30 s, doubling with each further failure up to 1 h.
     */
    async verify(tenantId: string, email: string, password: string): Promise<Account | null> {
      if (typeof email !== 'string' || typeof password !== 'string') return null
      const tenant = tenantId as TenantId
      const record = await store.read((r) => r.passwords.findByEmail(tenant, email.trim().toLowerCase()))
      if (!record) {
        await verifyPassword(password, await decoyHash())
        return null
      }
      // Counted before scrypt runs, and refused without it while the account is locked out.
      await claimAttempt(store, tenant, record.userId, 'password', clock.now())
      const matches = await verifyPassword(password, record.passwordHash ?? (await decoyHash()))
      if (!record.passwordHash || !matches || accessRefusal(record, clock.now())) return null
      return store.transaction(async (tx) => {
        await forgiveAttempts(tx, tenant, record.userId, 'password')
        return tx.accounts.findByUserId(tenant, record.userId)
      })
    },

    /**
     * Issues a reset token for the account (default 1 hour, `ttlSeconds` 60 s to 7 days), replacing
     * any earlier one. The token is returned only here; roster keeps its SHA-256. Needs `manage_users`;
     * an admin key cannot issue one for the owner (ForbiddenError).
     */
    async issueResetToken(principal: Principal, account: AccountRef, options: { ttlSeconds?: number } = {}): Promise<IssuedResetToken> {
      const admin = requireIamPermission(principal, 'manage_users')
      for (const key of Object.keys(options)) if (key !== 'ttlSeconds') throw new ValidationError(key, `Unknown field: ${key}`)
      const seconds = ttl(options.ttlSeconds)
      const token = generateResetToken()
      const expiresAt = new Date(Date.parse(clock.now()) + seconds * 1000).toISOString()
      return store.transaction(async (tx) => {
        const found = await passwordHolder(tx, admin, account)
        await tx.passwords.setResetToken(admin.tenantId, found.userId, hashSecret(token), expiresAt)
        await recordAudit(tx, auditActor(admin), admin.tenantId, {
          action: 'password.reset_token_issued', targetType: 'user', targetId: found.userId, secrets: ['resetToken'],
        }, clock.now())
        return { token, expiresAt, account: found }
      })
    },

    /**
     * Spends a reset token of this tenant to set a new password; a token works once and only before it
     * expires (ValidationError naming `token` otherwise). Needs no principal: the token is the proof.
     */
    async reset(tenantId: string, token: string, password: string): Promise<Account> {
      if (typeof token !== 'string' || token.length === 0 || token.length > 200) throw spentToken()
      const newPassword = parseInput(passwordSchema(), password, 'password')
      const tokenHash = hashSecret(token)
      // Checked before hashing so a stream of bad tokens costs no scrypt work.
      const holder = await store.read((r) => r.passwords.findByResetToken(tenantId as TenantId, tokenHash, clock.now()))
      if (!holder) throw spentToken()
      const hash = await hashPassword(newPassword)
      return store.transaction(async (tx) => {
        const at = clock.now()
        const userId = await tx.passwords.consumeResetToken(tenantId as TenantId, tokenHash, at, hash)
        if (!userId) throw spentToken()
        await recordAudit(tx, RESET_TOKEN_ACTOR, tenantId as TenantId, {
          action: 'password.reset', targetType: 'user', targetId: userId, secrets: ['password', 'resetToken'],
        }, at)
        // A new password starts a new count: the lockout guarded the old one.
        await forgiveAttempts(tx, tenantId as TenantId, userId, 'password')
        const account = await tx.accounts.findByUserId(tenantId as TenantId, userId)
        if (!account) throw spentToken()
        return account
      })
    },
  }
}

export type PasswordsService = ReturnType<typeof createPasswordsService>
