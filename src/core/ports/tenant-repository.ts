import type { TenantId, UserId } from '../ids.js'
import type { Tenant } from '../tenants/tenant.js'

/** Tenants and the installation's bootstrap key hash. */
export interface TenantRepository {
  /** Inserts a tenant with its user-number counter at 1. */
  insert(tenant: Tenant): Promise<Tenant>
  /** The tenant, or null when there is none with this id. */
  findById(tenantId: TenantId): Promise<Tenant | null>
  /** Every tenant of the installation, oldest first (ties by id). */
  list(): Promise<Tenant[]>
  /** Points the tenant at its owner (a user of the same tenant) or at none. */
  setOwner(tenantId: TenantId, ownerUserId: UserId | null): Promise<void>
  /** The stored bootstrap key hash, or null before one has been set. */
  bootstrapKeyHash(): Promise<string | null>
  /** Replaces the bootstrap key hash: there is only ever one. */
  setBootstrapKeyHash(hash: string, at: string): Promise<void>
}
