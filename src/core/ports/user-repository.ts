import type { TenantId, UserId } from '../ids.js'
import type { NewUser, User, UserChanges } from '../users/user.js'
import type { UserFilters, UserListQuery } from '../users/user-list-query.js'

/** Users of one tenant. No method ever reads or writes another tenant's rows. */
export interface UserRepository {
  /** Inserts the user with the tenant's next number. Throws ConflictError naming `email` or `externalId` when taken in this tenant. */
  insert(tenantId: TenantId, user: NewUser): Promise<User>
  /** The user, or null when no such user exists in this tenant. */
  findById(tenantId: TenantId, id: UserId): Promise<User | null>
  /** The user with this external id in this tenant, or null. */
  findByExternalId(tenantId: TenantId, externalId: string): Promise<User | null>
  /**
   * One page of the users matching the filters, newest first. Costs what the page costs at any depth of
   * a cursor (`beforeNumber`); `q` of three or more characters is found through a substring index, a
   * shorter one by reading users newest first until the page is full.
   */
  list(tenantId: TenantId, query: UserListQuery): Promise<User[]>
  /**
   * How many users match `filters`, exact. O(1) when countIsCheap(filters): per-tenant, per-status
   * counters kept in the same transaction as every insert, delete and status change, or a unique index.
   */
  count(tenantId: TenantId, filters: UserFilters): Promise<number>
  /** Applies `changes` and raises the user's version; returns the updated user or null when absent. Throws ConflictError like `insert`. */
  update(tenantId: TenantId, id: UserId, changes: UserChanges): Promise<User | null>
  /** Deletes the user and, by cascade, its role and group memberships and MFA factors; false when absent. */
  delete(tenantId: TenantId, id: UserId): Promise<boolean>
}
