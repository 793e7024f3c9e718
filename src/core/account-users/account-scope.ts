import { ForbiddenError, NotFoundError } from '../errors.js'
import { isUuid, type TenantId, type UserId } from '../ids.js'
import type { Permission } from '../permissions.js'
import type { Repositories } from '../ports/store.js'
import { requirePermission, type AdminPrincipal, type Principal } from '../principal.js'
import type { User } from '../users/user.js'

/** Seed 003 types every path id as `string <uuid> (ResourceId) <= 50 characters`. */
export const MAX_RESOURCE_ID_LENGTH = 50

/** A path id seed 003 could have issued: at most 50 characters and a UUID (case-insensitive). */
export function isResourceId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_RESOURCE_ID_LENGTH && isUuid(value)
}

/** The id as roster stores it: UUIDs are issued in lower case, so an upper-case spelling names the same row. */
export function canonicalId<T extends string>(value: string): T {
  return value.toLowerCase() as T
}

/** The tenant's user named by `id` (any case); NotFoundError when the id is malformed or names none. */
export async function findTenantUser(r: Repositories, tenantId: TenantId, id: string): Promise<User> {
  const user = isUuid(id) ? await r.users.findById(tenantId, canonicalId<UserId>(id)) : null
  if (!user) throw new NotFoundError('User not found')
  return user
}

/** Ids a route names beside the account, checked for form before anything else. */
export interface ResourceIds {
  readonly groupId?: string | undefined
  readonly userId?: string | undefined
}

/**
 * Narrows `principal` to an admin key of the account `accountId` holding `permission`. The checks
 * run in a fixed order so no answer depends on another account's data:
 * 1. `accountId`, then `ids.groupId`, then `ids.userId` well-formed, else NotFoundError (a form says nothing about any account);
 * 2. the key acts for this account, else ForbiddenError (the bootstrap key gets BootstrapKeyError,
 *    which seed 003 also answers with 403), the same answer whether or not the other account exists;
 * 3. the key holds `permission`, else ForbiddenError.
 * Whether a user or group exists is the caller's next step (NotFoundError), always inside the key's own account.
 */
export function requireAccount(principal: Principal, accountId: string, permission: Permission, ids: ResourceIds = {}): AdminPrincipal {
  if (!isResourceId(accountId)) throw new NotFoundError('Account not found')
  if (ids.groupId !== undefined && !isResourceId(ids.groupId)) throw new NotFoundError('Group not found')
  if (ids.userId !== undefined && !isResourceId(ids.userId)) throw new NotFoundError('User not found')
  // The bootstrap key belongs to no account; requirePermission words its refusal.
  if (principal.kind === 'bootstrap') return requirePermission(principal, permission)
  if (principal.kind === 'user') throw new ForbiddenError('Permission denied: a user credential cannot act on the account')
  if (principal.tenantId !== canonicalId(accountId)) throw new ForbiddenError('Permission denied: this key does not belong to the account')
  return requirePermission(principal, permission)
}
