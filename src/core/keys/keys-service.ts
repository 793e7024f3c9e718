import type { Clock } from '../clock.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js'
import { isUuid, newId, type AdminKeyId, type TenantId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import { PERMISSIONS, type Permission } from '../permissions.js'
import type { Repositories, Store } from '../ports/store.js'
import { requirePermission, type Principal } from '../principal.js'
import { generateSecret, hashSecret, visiblePrefix } from '../secrets.js'
import type { KeyCache } from '../auth/key-cache.js'
import type { AdminKey, IssuedAdminKey } from './admin-key.js'
import { CreateKeyInput, DEFAULT_KEY_NAME, RECOVERY_KEY_NAME, RecoverKeyInput } from './key-input.js'
import { auditActor, recordAudit, type AuditActor } from '../audit/audit-trail.js'

const keyNotFound = () => new NotFoundError('Admin key not found')
const tenantNotFound = () => new NotFoundError('Tenant not found')

/** Mints a key inside `tx` and records it as made by `who`; the caller has already checked the grant. */
export async function issueAdminKey(
  tx: Repositories,
  who: AuditActor,
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
  await recordAudit(tx, who, tenantId, { action: 'key.created', targetType: 'key', targetId: key.id, after: key }, at)
  return { ...key, secret, tenantName }
}

/**
 * Admin keys of the principal's tenant; every call but the bootstrap key's `recover` needs `manage_keys`.
 * Revoking tells `cache` to forget the key.
 */
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
        if (!tenant) throw tenantNotFound()
        return issueAdminKey(tx, auditActor(admin), tenant.id, tenant.name, secret, fields.name ?? DEFAULT_KEY_NAME, permissions, clock.now())
      })
    },

    /** The tenant's keys, newest first, without secrets. */
    async list(principal: Principal): Promise<AdminKey[]> {
      const admin = requirePermission(principal, 'manage_keys')
      return store.read((r) => r.keys.list(admin.tenantId))
    },

    /**
     * Revokes a key of this tenant at once; later requests with it get 401. A key may revoke only keys
     * whose permissions it holds itself (ForbiddenError otherwise, like granting), and the tenant's last
     * active key holding `manage_keys` stays (ConflictError), so a tenant never locks itself out of
     * managing keys. Revoking a revoked key returns it unchanged. NotFoundError for any other id.
     */
    async revoke(principal: Principal, id: string): Promise<AdminKey> {
      const admin = requirePermission(principal, 'manage_keys')
      if (!isUuid(id)) throw keyNotFound()
      const revoked = await store.transaction(async (tx) => {
        const key = await tx.keys.findById(admin.tenantId, id as AdminKeyId)
        if (!key) throw keyNotFound()
        const beyond = key.permissions.filter((p) => !admin.permissions.has(p))
        if (beyond.length > 0) throw new ForbiddenError(`Permission denied: cannot revoke a key holding ${beyond.join(', ')} without holding it`)
        if (key.revokedAt !== null) return key
        if (key.permissions.includes('manage_keys')) {
          const keepers = (await tx.keys.list(admin.tenantId)).filter((k) => k.id !== key.id && k.revokedAt === null && k.permissions.includes('manage_keys'))
          if (keepers.length === 0) {
            throw new ConflictError('id', 'Cannot revoke the last active key holding manage_keys: create another key with manage_keys first')
          }
        }
        const at = clock.now()
        const revoked = (await tx.keys.revoke(admin.tenantId, key.id, at)) ?? key
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'key.revoked', targetType: 'key', targetId: key.id, before: key, after: revoked }, at)
        return revoked
      })
      // After the commit: a request that read the key before it cannot put it back (see KeyCache.ticket).
      cache?.forget(revoked.id)
      return revoked
    },

    /**
     * The recovery path for a tenant that has lost every key: issues a key (all permissions unless
     * narrowed, named "Recovery key" unless named) for an existing tenant. Only the bootstrap key, or
     * the host through `roster.principals.bootstrap()`, may (ForbiddenError for anyone else);
     * NotFoundError for a malformed or unknown tenant id.
     */
    async recover(principal: Principal, input: RecoverKeyInput): Promise<IssuedAdminKey> {
      if (principal.kind !== 'bootstrap') throw new ForbiddenError('Only the bootstrap key can issue recovery keys')
      const fields = parseInput(RecoverKeyInput, input)
      if (!isUuid(fields.tenantId)) throw tenantNotFound()
      const secret = generateSecret('admin')
      return store.transaction(async (tx) => {
        const tenant = await tx.tenants.findById(fields.tenantId.toLowerCase() as TenantId)
        if (!tenant) throw tenantNotFound()
        const permissions = [...new Set(fields.permissions ?? PERMISSIONS)]
        return issueAdminKey(tx, auditActor(principal), tenant.id, tenant.name, secret, fields.name ?? RECOVERY_KEY_NAME, permissions, clock.now())
      })
    },
  }
}

export type KeysService = ReturnType<typeof createKeysService>
