import { DEFAULT_ACCOUNT_TYPE, OWNER_ACCOUNT_TYPE } from '../accounts/account.js'
import type { Clock } from '../clock.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import { isUuid, type UserId } from '../ids.js'
import type { Store } from '../ports/store.js'
import { requirePermission, type Principal } from '../principal.js'
import type { Tenant } from '../tenants/tenant.js'
import { canonicalId } from './account-scope.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'

/**
 * Makes `userId` the owner of the principal's tenant in one transaction; the previous owner stays as
 * an ordinary user. Making the owner owner again changes nothing. Only the host moves ownership: a
 * trusted principal (`roster.principals.tenant`, or `roster tenants transfer-ownership` on the host);
 * an admin key gets ForbiddenError, since the owner's account is what the owner policy keeps from keys.
 * NotFoundError when the tenant has no such user.
 */
export async function transferOwnership(store: Store, clock: Clock, principal: Principal, userId: string): Promise<Tenant> {
  const admin = requirePermission(principal, 'manage_users')
  if (admin.keyId !== null) {
    throw new ForbiddenError('Ownership cannot be transferred with an admin key: the host transfers it (roster tenants transfer-ownership)')
  }
  if (!isUuid(userId)) throw new NotFoundError('User not found')
  const id = canonicalId<UserId>(userId)
  const at = clock.now()
  return store.transaction(async (tx) => {
    const tenant = await tx.tenants.findById(admin.tenantId)
    if (!tenant) throw new NotFoundError('Tenant not found')
    if (!(await tx.users.findById(admin.tenantId, id))) throw new NotFoundError('User not found')
    if (tenant.ownerUserId === id) return tenant
    // The IAM surface shows ownership as the account type, so both users' types follow the transfer.
    if (tenant.ownerUserId !== null) {
      await tx.accounts.update(admin.tenantId, tenant.ownerUserId, { accountType: DEFAULT_ACCOUNT_TYPE, updatedAt: at })
    }
    await tx.accounts.update(admin.tenantId, id, { accountType: OWNER_ACCOUNT_TYPE, updatedAt: at })
    await tx.tenants.setOwner(admin.tenantId, id)
    await recordAudit(tx, auditActor(admin), admin.tenantId, {
      action: 'tenant.ownership_transferred', targetType: 'tenant', targetId: admin.tenantId,
      before: { ownerUserId: tenant.ownerUserId }, after: { ownerUserId: id },
    }, at)
    return { ...tenant, ownerUserId: id }
  })
}
