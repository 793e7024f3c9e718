import type { Group, GroupId, GroupMembership, NewGroup } from '../groups/group.js'
import type { TenantId, UserId } from '../ids.js'

/** Groups of one tenant and their members. No method ever reads or writes another tenant's rows. */
export interface GroupRepository {
  /** Inserts the group. Throws ConflictError naming `name` when the tenant has a group of that name. */
  insert(tenantId: TenantId, group: NewGroup): Promise<Group>
  /** The group, or null when this tenant has none with this id. */
  findById(tenantId: TenantId, id: GroupId): Promise<Group | null>
  /** Every group of the tenant, by name. */
  list(tenantId: TenantId): Promise<Group[]>
  /** Renames the group and raises its version; the renamed group, or null when absent. Throws ConflictError like `insert`. */
  rename(tenantId: TenantId, id: GroupId, name: string, at: string): Promise<Group | null>
  /** Deletes the group and, by cascade, its memberships; false when absent. */
  delete(tenantId: TenantId, id: GroupId): Promise<boolean>
  /** Makes the user a member, raising the user's version (already being one changes nothing); the caller has checked both are in the tenant. */
  addMember(tenantId: TenantId, groupId: GroupId, userId: UserId, at: string): Promise<void>
  /** Ends the membership, raising the user's version; false when the user was not a member. */
  removeMember(tenantId: TenantId, groupId: GroupId, userId: UserId): Promise<boolean>
  /** The groups each user belongs to, by name; users in none are absent from the map. */
  forUsers(tenantId: TenantId, userIds: readonly UserId[]): Promise<Map<UserId, GroupMembership[]>>
}
