import type { TenantId, UserId } from '../ids.js'
import type { NewUser, User, UserChanges } from '../users/user.js'
import type { UserListQuery } from '../users/user-list-query.js'

/** Users of one tenant. No method ever reads or writes another tenant's rows. */
export interface UserRepository {
  /** Inserts the user with the tenant's next number. Throws ConflictError naming `email` or `externalId` when taken in this tenant. */
  insert(tenantId: TenantId, user: NewUser): Promise<User>
  /** The user, or null when no such user exists in this tenant. */
  findById(tenantId: TenantId, id: UserId): Promise<User | null>
  /** The user with this external id in this tenant, or null. */
  findByExternalId(tenantId: TenantId, externalId: string): Promise<User | null>
  /** One page, newest first, and the number of users matching the filters. */
  list(tenantId: TenantId, query: UserListQuery): Promise<{ users: User[]; total: number }>
  /** Applies `changes`; returns the updated user or null when absent. Throws ConflictError like `insert`. */
  update(tenantId: TenantId, id: UserId, changes: UserChanges): Promise<User | null>
  /** Deletes the user and, by cascade, its role and group memberships and MFA factors; false when absent. */
  delete(tenantId: TenantId, id: UserId): Promise<boolean>
}
