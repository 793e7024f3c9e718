import { ForbiddenError, NotFoundError } from '../errors.js'
import { isUuid, type TenantId, type UserId } from '../ids.js'
import type { Permission } from '../permissions.js'
import type { Repositories } from '../ports/store.js'
import { requirePermission, type AdminPrincipal, type Principal } from '../principal.js'
import type { Account } from './account.js'

/** An account named by its number (as a number or digit string) or by its user's UUID. */
export type AccountRef = number | string

/**
 * Narrows `principal` to an admin holding `permission`. A user credential is authenticated but may
 * only read its own account (`me`), so it gets ForbiddenError rather than the admin routes' 401.
 */
export function requireIamPermission(principal: Principal, permission: Permission): AdminPrincipal {
  if (principal.kind === 'user') {
    throw new ForbiddenError(`Permission denied: ${permission} required; a user credential can only read its own account`)
  }
  return requirePermission(principal, permission)
}

export const accountNotFound = () => new NotFoundError('Account not found')

/** The account `ref` names in this tenant; NotFoundError when it is malformed or names none. */
export async function findAccount(repos: Repositories, tenantId: TenantId, ref: AccountRef): Promise<Account> {
  let account: Account | null = null
  if (typeof ref === 'number' || /^\d{1,15}$/.test(ref)) {
    const number = Number(ref)
    if (Number.isSafeInteger(number) && number > 0) account = await repos.accounts.findByNumber(tenantId, number)
  } else if (isUuid(ref)) {
    account = await repos.accounts.findByUserId(tenantId, ref as UserId)
  }
  if (!account) throw accountNotFound()
  return account
}
