import type { TenantId, UserId } from '../ids.js'
import type { NewRole, Role, RoleChanges, RoleId, RoleListQuery } from '../roles/role.js'

/** Roles of one tenant and the accounts holding them. No method ever reads or writes another tenant's rows. */
export interface RoleRepository {
  /** Inserts the role. Throws ConflictError naming `name` when the tenant has a role of that name. */
  insert(tenantId: TenantId, role: NewRole): Promise<Role>
  /** The role, or null when this tenant has none with this id. */
  findById(tenantId: TenantId, id: RoleId): Promise<Role | null>
  /** One page of roles in `query.sort` order, and how many match. */
  list(tenantId: TenantId, query: RoleListQuery): Promise<{ roles: Role[]; total: number }>
  /** Applies `changes` and raises the role's version; the updated role, or null when absent. Throws ConflictError like `insert`. */
  update(tenantId: TenantId, id: RoleId, changes: RoleChanges): Promise<Role | null>
  /** Deletes the role and, by cascade, every account's hold on it; false when absent. */
  delete(tenantId: TenantId, id: RoleId): Promise<boolean>
  /** The roles each user holds, by name; users holding none are absent from the map. */
  forUsers(tenantId: TenantId, userIds: readonly UserId[]): Promise<Map<UserId, Role[]>>
  /** Gives the user each role (already held ones are kept as they are); raises the user's version when one was new. */
  grant(tenantId: TenantId, userId: UserId, roleIds: readonly RoleId[], at: string): Promise<void>
  /** Takes each role from the user; roles not held are ignored. Raises the user's version when one was held. */
  revoke(tenantId: TenantId, userId: UserId, roleIds: readonly RoleId[]): Promise<void>
}
