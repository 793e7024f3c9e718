import { findAccount, requireIamPermission, type AccountRef } from '../accounts/account-access.js'
import type { Account } from '../accounts/account.js'
import type { Clock } from '../clock.js'
import { ValidationError } from '../errors.js'
import type { TenantId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Store } from '../ports/store.js'
import type { Principal } from '../principal.js'
import { hashSecret } from '../secrets.js'
import { decoyHash, hashPassword, passwordSchema, verifyPassword } from './password-hash.js'
import { DEFAULT_RESET_TOKEN_TTL_SECONDS, generateResetToken, MAX_RESET_TOKEN_TTL_SECONDS } from './reset-token.js'

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

/** Account passwords: scrypt hashes computed outside transactions, single-use reset tokens stored as SHA-256. */
export function createPasswordsService(store: Store, clock: Clock) {
  return {
    /** Sets the account's password (auth_type becomes `password`) and voids any reset token. Needs `manage_users`. */
    async set(principal: Principal, account: AccountRef, password: string): Promise<Account> {
      const admin = requireIamPermission(principal, 'manage_users')
      const hash = await hashPassword(parseInput(passwordSchema(), password, 'password'))
      return store.transaction(async (tx) => {
        const found = await findAccount(tx, admin.tenantId, account)
        await tx.passwords.setHash(admin.tenantId, found.userId, hash)
        await tx.accounts.update(admin.tenantId, found.userId, { updatedAt: clock.now() })
        return findAccount(tx, admin.tenantId, found.id)
      })
    },

    /** Removes the account's password (auth_type becomes `none`) and any reset token. Needs `manage_users`. */
    async clear(principal: Principal, account: AccountRef): Promise<Account> {
      const admin = requireIamPermission(principal, 'manage_users')
      return store.transaction(async (tx) => {
        const found = await findAccount(tx, admin.tenantId, account)
        await tx.passwords.setHash(admin.tenantId, found.userId, null)
        await tx.accounts.update(admin.tenantId, found.userId, { updatedAt: clock.now() })
        return findAccount(tx, admin.tenantId, found.id)
      })
    },

    /**
     * The account when `password` is its password, else null; also null when the email is unknown, no
     * password is set, or the account is disabled or past `expires_at`. Takes as long either way.
     */
    async verify(tenantId: string, email: string, password: string): Promise<Account | null> {
      if (typeof email !== 'string' || typeof password !== 'string') return null
      const record = await store.read((r) => r.passwords.findByEmail(tenantId as TenantId, email.trim().toLowerCase()))
      const matches = await verifyPassword(password, record?.passwordHash ?? (await decoyHash()))
      if (!record?.passwordHash || !matches || record.status !== 'active') return null
      if (record.expiresAt !== null && record.expiresAt <= clock.now()) return null
      return store.read((r) => r.accounts.findByUserId(tenantId as TenantId, record.userId))
    },

    /**
     * Issues a reset token for the account (default 1 hour, `ttlSeconds` 60 s to 7 days), replacing
     * any earlier one. The token is returned only here; roster keeps its SHA-256. Needs `manage_users`.
     */
    async issueResetToken(principal: Principal, account: AccountRef, options: { ttlSeconds?: number } = {}): Promise<IssuedResetToken> {
      const admin = requireIamPermission(principal, 'manage_users')
      for (const key of Object.keys(options)) if (key !== 'ttlSeconds') throw new ValidationError(key, `Unknown field: ${key}`)
      const seconds = ttl(options.ttlSeconds)
      const token = generateResetToken()
      const expiresAt = new Date(Date.parse(clock.now()) + seconds * 1000).toISOString()
      return store.transaction(async (tx) => {
        const found = await findAccount(tx, admin.tenantId, account)
        await tx.passwords.setResetToken(admin.tenantId, found.userId, hashSecret(token), expiresAt)
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
        const userId = await tx.passwords.consumeResetToken(tenantId as TenantId, tokenHash, clock.now(), hash)
        if (!userId) throw spentToken()
        const account = await tx.accounts.findByUserId(tenantId as TenantId, userId)
        if (!account) throw spentToken()
        return account
      })
    },
  }
}

export type PasswordsService = ReturnType<typeof createPasswordsService>
