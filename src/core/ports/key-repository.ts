import type { AdminKeyId, TenantId } from '../ids.js'
import type { AdminKey, NewAdminKey } from '../keys/admin-key.js'

/** Admin keys of one tenant; lookups by hash cross tenants because the hash is what identifies the tenant. */
export interface KeyRepository {
  /** Inserts the key for `tenantId`. */
  insert(tenantId: TenantId, key: NewAdminKey): Promise<AdminKey>
  /** The unrevoked key whose secret hashes to `secretHash`, or null. */
  findActiveByHash(secretHash: string): Promise<AdminKey | null>
  /** The key, revoked or not, or null when this tenant has no such key. */
  findById(tenantId: TenantId, id: AdminKeyId): Promise<AdminKey | null>
  /** The tenant's keys, newest first, revoked ones included. */
  list(tenantId: TenantId): Promise<AdminKey[]>
  /** Marks the key revoked; returns it, or null when this tenant has no such key. Revoking twice keeps the first time. */
  revoke(tenantId: TenantId, id: AdminKeyId, at: string): Promise<AdminKey | null>
}
