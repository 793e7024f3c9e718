import type { Clock } from '../clock.js'
import { ForbiddenError, NotFoundError } from '../errors.js'
import { isUuid, newId, type AdminKeyId, type TenantId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Permission } from '../permissions.js'
import type { Repositories, Store } from '../ports/store.js'
import { requirePermission, type Principal } from '../principal.js'
import { generateSecret, hashSecret, visiblePrefix } from '../secrets.js'
import type { KeyCache } from '../auth/key-cache.js'
import type { AdminKey, IssuedAdminKey } from './admin-key.js'
import { CreateKeyInput, DEFAULT_KEY_NAME } from './key-input.js'

/** Mints a key inside `tx`; the caller has already checked the grant. */
export async function issueAdminKey(
  tx: Repositories,
  tenantId: TenantId,
  tenantName: string,
  secret: string,
  name: string,
  permissions: readonly Permission[],
  at: string,
): Promise<IssuedAdminKey> {
  const key = await tx.keys.insert(tenantId, {
    id: newId<AdminKeyId>(),
    name,
    secretHash: hashSecret(secret),
    prefix: visiblePrefix(secret),
    permissions,
    createdAt: at,
  })
  return { ...key, secret, tenantName }
}

/** Admin keys of the principal's tenant; every call needs `manage_keys`. Revoking tells `cache` to forget the key. */
export function createKeysService(store: Store, clock: Clock, cache?: Pick<KeyCache, 'forget'>) {
  return {
    /** Issues another key for the principal's tenant. A key may only grant permissions it holds (ForbiddenError). */
    async create(principal: Principal, input: CreateKeyInput = {}): Promise<IssuedAdminKey> {
      const admin = requirePermission(principal, 'manage_keys')
      const fields = parseInput(CreateKeyInput, input)
      const permissions = [...new Set(fields.permissions ?? admin.permissions)]
      const missing = permissions.filter((p) => !admin.permissions.has(p))
      if (missing.length > 0) {
        throw new ForbiddenError(`Permission denied: cannot grant ${missing.join(', ')} without holding it`)
      }
      const secret = generateSecret('admin')
      return store.transaction(async (tx) => {
        const tenant = await tx.tenants.findById(admin.tenantId)
        if (!tenant) throw new NotFoundError('Tenant not found')
        return issueAdminKey(tx, tenant.id, tenant.name, secret, fields.name ?? DEFAULT_KEY_NAME, permissions, clock.now())
      })
    },

    /** The tenant's keys, newest first, without secrets. */
    async list(principal: Principal): Promise<AdminKey[]> {
      const admin = requirePermission(principal, 'manage_keys')
      return store.read((r) => r.keys.list(admin.tenantId))
    },

    /** Revokes a key of this tenant at once; later requests with it get 401. NotFoundError for any other id. */
    async revoke(principal: Principal, id: string): Promise<AdminKey> {
      const admin = requirePermission(principal, 'manage_keys')
      if (!isUuid(id)) throw new NotFoundError('Admin key not found')
      const key = await store.transaction((tx) => tx.keys.revoke(admin.tenantId, id as AdminKeyId, clock.now()))
      if (!key) throw new NotFoundError('Admin key not found')
      // After the commit: a request that read the key before it cannot put it back (see KeyCache.ticket).
      cache?.forget(key.id)
      return key
    },
  }
}

export type KeysService = ReturnType<typeof createKeysService>
