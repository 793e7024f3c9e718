import { ForbiddenError, NotFoundError } from '../errors.js'
import type { TenantId, UserId } from '../ids.js'
import type { Repositories } from '../ports/store.js'
import type { AdminPrincipal } from '../principal.js'
import type { User, UserChanges } from './user.js'
import { recordAudit, type AuditActor } from '../audit/audit-trail.js'
import { checkCondition, type WriteCondition } from '../write-condition.js'

/*
 * roster's rules about one user, written once for every surface: what stops a user from signing in
 * (status and expiry), who may touch the tenant owner's sign-in, how status moves and what a deletion
 * takes with it; the attempt limits live beside this file and are exported from here too. The users,
 * accounts, account-users, credentials, passwords and MFA services call these and restate none of them,
 * so a fourth surface built on those services cannot miss a rule.
 */
export { claimAttempt, forgiveAttempts, lockoutSeconds, MAX_FREE_FAILURES } from './attempt-limits.js'

/** Why a user may not sign in or use a credential: the same answer for credentials, passwords and `me`. */
export type AccessRefusal = 'user_suspended' | 'user_pending' | 'account_expired'

/**
 * Why `user` may not authenticate at `now`, or null when it may. Read at use time, so suspending or
 * expiring a user stops every way in at once, and reactivating or moving `expiresAt` later restores them.
 */
export function accessRefusal(user: Pick<User, 'status' | 'expiresAt'>, now: string): AccessRefusal | null {
  if (user.status === 'suspended') return 'user_suspended'
  if (user.status === 'pending') return 'user_pending'
  // From `expires_at` on (inclusive), exactly like a credential's own expiry.
  if (user.expiresAt !== null && user.expiresAt <= now) return 'account_expired'
  return null
}

/** What of the tenant owner only the host may change. */
export type OwnerProtected = 'password' | 'email' | 'status' | 'expiry' | 'MFA' | 'credentials'

/** True when `userId` is the owner of `tenantId`. */
export async function isOwner(r: Repositories, tenantId: TenantId, userId: UserId): Promise<boolean> {
  return (await r.tenants.findById(tenantId))?.ownerUserId === userId
}

/**
 * Throws ForbiddenError when an admin key would change how the tenant owner signs in (password, reset
 * token, email, MFA, credentials) or whether the owner may (status, expiry): any of these would let
 * one stolen `manage_users` key take the owner's account. A trusted principal (the host, `keyId`
 * null) may; who the owner is changes only through `tenants.transferOwnership`.
 */
export async function protectOwner(r: Repositories, admin: AdminPrincipal, userId: UserId, what: OwnerProtected): Promise<void> {
  if (admin.keyId === null) return
  if (await isOwner(r, admin.tenantId, userId)) throw new ForbiddenError(`The account owner's ${what} cannot be changed with an admin key`)
}

/** The changes that suspend a user; suspending again keeps the latest reason. */
export function suspension(reason: string | null): Omit<UserChanges, 'updatedAt'> {
  return { status: 'suspended', suspendedReason: reason }
}

/** The changes that make a suspended or pending user active, or null when it is active already. */
export function activation(user: Pick<User, 'status'>): Omit<UserChanges, 'updatedAt'> | null {
  return user.status === 'active' ? null : { status: 'active', suspendedReason: null }
}

/**
 * Deletes the user inside `tx`, on every surface at once. The tenant owner is refused (ForbiddenError:
 * transfer ownership first), whoever asks. Its credentials are revoked rather than deleted, so usage
 * recorded against them stays in the tenant's summaries; roles, groups, MFA factors and attempt
 * counters go with the user; `who` is recorded in the audit log. NotFoundError when the tenant has no such user.
 */
export async function deleteUser(
  tx: Repositories, tenantId: TenantId, userId: UserId, at: string, who: AuditActor, condition: WriteCondition = {},
): Promise<void> {
  if (await isOwner(tx, tenantId, userId)) throw new ForbiddenError('The account owner cannot be deleted')
  const user = await tx.users.findById(tenantId, userId)
  if (!user) throw new NotFoundError('User not found')
  checkCondition(condition, user)
  if (!(await tx.users.delete(tenantId, userId))) throw new NotFoundError('User not found')
  await tx.credentials.revokeAllForUser(tenantId, userId, at)
  await recordAudit(tx, who, tenantId, { action: 'user.deleted', targetType: 'user', targetId: userId, before: user }, at)
}
