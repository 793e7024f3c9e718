import { newUser } from '../users/new-user.js'
import { transferOwnership } from '../account-users/transfer-ownership.js'
import type { Clock } from '../clock.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import { isUuid, newId, type TenantId } from '../ids.js'
import type { IssuedAdminKey } from '../keys/admin-key.js'
import { DEFAULT_KEY_NAME } from '../keys/key-input.js'
import { issueAdminKey } from '../keys/keys-service.js'
import { parseInput } from '../parse-input.js'
import { PERMISSIONS } from '../permissions.js'
import type { Store } from '../ports/store.js'
import type { Principal } from '../principal.js'
import { generateSecret } from '../secrets.js'
import type { User } from '../users/user.js'
import { CreateTenantInput } from './tenant-input.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'
import type { Tenant } from './tenant.js'

export interface CreatedTenant {
  readonly tenant: Tenant
  /** The tenant's first admin key; its secret is shown only here. */
  readonly key: IssuedAdminKey
  readonly owner: User | null
}

/** Tenants: created only by the bootstrap key, each with its first admin key in the same transaction. */
export function createTenantsService(store: Store, clock: Clock) {
  return {
    /** Creates a tenant, its first admin key (all permissions unless narrowed) and, if given, its owner user. */
    async create(principal: Principal, input: CreateTenantInput): Promise<CreatedTenant> {
      if (principal.kind !== 'bootstrap') throw new ForbiddenError('Only the bootstrap key can create tenants')
      const fields = parseInput(CreateTenantInput, input)
      const secret = generateSecret('admin')
      const at = clock.now()
      return store.transaction(async (tx) => {
        const who = auditActor(principal)
        const tenant = await tx.tenants.insert({ id: newId<TenantId>(), name: fields.entityName, ownerUserId: null, createdAt: at })
        await recordAudit(tx, who, tenant.id, { action: 'tenant.created', targetType: 'tenant', targetId: tenant.id, after: tenant }, at)
        const key = await issueAdminKey(tx, who, tenant.id, tenant.name, secret, fields.name ?? DEFAULT_KEY_NAME, fields.permissions ?? PERMISSIONS, at)
        if (!fields.owner) return { tenant, key, owner: null }
        const { email, firstName, lastName } = fields.owner
        const owner = await tx.users.insert(tenant.id, newUser({
          name: `${firstName} ${lastName}`,
          firstName,
          lastName,
          email,
          accountType: 'owner',
          createdAt: at,
          adminKeyId: key.id,
        }))
        await recordAudit(tx, who, tenant.id, { action: 'user.created', targetType: 'user', targetId: owner.id, after: owner }, at)
        await tx.tenants.setOwner(tenant.id, owner.id)
        await recordAudit(tx, who, tenant.id, {
          action: 'tenant.ownership_transferred', targetType: 'tenant', targetId: tenant.id, before: { ownerUserId: null }, after: { ownerUserId: owner.id },
        }, at)
        return { tenant: { ...tenant, ownerUserId: owner.id }, key, owner }
      })
    },

    /**
     * Every tenant, oldest first, for the installation's operator (`roster keys list`): only the bootstrap
     * principal, which creates tenants, may list them (ForbiddenError for anyone else). No HTTP route offers it.
     */
    async list(principal: Principal): Promise<Tenant[]> {
      if (principal.kind !== 'bootstrap') throw new ForbiddenError('Only the bootstrap key can list tenants')
      return store.read((r) => r.tenants.list())
    },

    /** The principal's own tenant (any admin key or user of it may read it). NotFoundError for any other id. */
    async get(principal: Principal, id: string): Promise<Tenant> {
      if (principal.kind === 'bootstrap' || principal.tenantId !== id || !isUuid(id)) throw new NotFoundError('Tenant not found')
      const tenant = await store.read((r) => r.tenants.findById(id as TenantId))
      if (!tenant) throw new NotFoundError('Tenant not found')
      return tenant
    },

    /** Makes a user of the principal's tenant its owner (needs `manage_users`); the old owner becomes an ordinary user. */
    transferOwnership: (principal: Principal, userId: string): Promise<Tenant> => transferOwnership(store, clock, principal, userId),
  }
}

export type TenantsService = ReturnType<typeof createTenantsService>
