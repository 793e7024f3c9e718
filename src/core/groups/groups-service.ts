import { canonicalId, findTenantUser } from '../account-users/account-scope.js'
import type { Clock } from '../clock.js'
import { NotFoundError } from '../errors.js'
import { isUuid, newId, type TenantId, type UserId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Repositories, Store } from '../ports/store.js'
import { requirePermission, type Principal } from '../principal.js'
import { CreateGroupInput, RenameGroupInput, type Group, type GroupId, type GroupMembership } from './group.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'
import { checkCondition, parseCondition, type WriteCondition } from '../write-condition.js'

const groupNotFound = () => new NotFoundError('Group not found')

async function findGroup(r: Repositories, tenantId: TenantId, id: string): Promise<Group> {
  const group = isUuid(id) ? await r.groups.findById(tenantId, canonicalId<GroupId>(id)) : null
  if (!group) throw groupNotFound()
  return group
}

async function requireUser(r: Repositories, tenantId: TenantId, id: string): Promise<UserId> {
  return (await findTenantUser(r, tenantId, id)).id
}

/** Tenant-scoped groups and their members; every call needs `manage_groups`. */
export function createGroupsService(store: Store, clock: Clock) {
  return {
    /** Every group of the principal's tenant, by name. */
    async list(principal: Principal): Promise<Group[]> {
      const admin = requirePermission(principal, 'manage_groups')
      return store.read((r) => r.groups.list(admin.tenantId))
    },

    /** The group; NotFoundError when the id is malformed or names no group of this tenant. */
    async get(principal: Principal, id: string): Promise<Group> {
      const admin = requirePermission(principal, 'manage_groups')
      return store.read((r) => findGroup(r, admin.tenantId, id))
    },

    /** Creates a group; ConflictError naming `name` when the tenant has one of that name. */
    async create(principal: Principal, input: CreateGroupInput): Promise<Group> {
      const admin = requirePermission(principal, 'manage_groups')
      const { name } = parseInput(CreateGroupInput, input)
      const at = clock.now()
      return store.transaction(async (tx) => {
        const group = await tx.groups.insert(admin.tenantId, { id: newId<GroupId>(), name, createdAt: at })
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'group.created', targetType: 'group', targetId: group.id, after: group }, at)
        return group
      })
    },

    /** Renames the group; ConflictError naming `name` when another group has it, NotFoundError for an unknown group. */
    async rename(principal: Principal, id: string, input: RenameGroupInput, options?: WriteCondition): Promise<Group> {
      const admin = requirePermission(principal, 'manage_groups')
      const { name } = parseInput(RenameGroupInput, input)
      const condition = parseCondition(options)
      const at = clock.now()
      return store.transaction(async (tx) => {
        const current = await findGroup(tx, admin.tenantId, id)
        checkCondition(condition, current)
        const renamed = await tx.groups.rename(admin.tenantId, current.id, name, at)
        if (!renamed) throw groupNotFound()
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'group.renamed', targetType: 'group', targetId: current.id, before: current, after: renamed }, at)
        return renamed
      })
    },

    /** Deletes the group; its members lose the membership in the same transaction. */
    async delete(principal: Principal, id: string, options?: WriteCondition): Promise<void> {
      const admin = requirePermission(principal, 'manage_groups')
      const condition = parseCondition(options)
      await store.transaction(async (tx) => {
        const group = await findGroup(tx, admin.tenantId, id)
        checkCondition(condition, group)
        if (!(await tx.groups.delete(admin.tenantId, group.id))) throw groupNotFound()
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'group.deleted', targetType: 'group', targetId: group.id, before: group }, clock.now())
      })
    },

    /** Makes the user a member of the group; being one already is fine. NotFoundError for an unknown group or user. */
    async addMember(principal: Principal, groupId: string, userId: string): Promise<void> {
      const admin = requirePermission(principal, 'manage_groups')
      await store.transaction(async (tx) => {
        const group = await findGroup(tx, admin.tenantId, groupId)
        const member = await requireUser(tx, admin.tenantId, userId)
        // Already a member: nothing changes, nothing is recorded.
        if (((await tx.groups.forUsers(admin.tenantId, [member])).get(member) ?? []).some((m) => m.groupId === group.id)) return
        const at = clock.now()
        await tx.groups.addMember(admin.tenantId, group.id, member, at)
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'group.member_added', targetType: 'group', targetId: group.id, after: { userId: member } }, at)
      })
    },

    /** Takes the user out of the group; not being a member is fine. NotFoundError for an unknown group or user. */
    async removeMember(principal: Principal, groupId: string, userId: string): Promise<void> {
      const admin = requirePermission(principal, 'manage_groups')
      await store.transaction(async (tx) => {
        const group = await findGroup(tx, admin.tenantId, groupId)
        const member = await requireUser(tx, admin.tenantId, userId)
        if (await tx.groups.removeMember(admin.tenantId, group.id, member)) {
          await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'group.member_removed', targetType: 'group', targetId: group.id, before: { userId: member } }, clock.now())
        }
      })
    },

    /** The groups the user belongs to, by name; NotFoundError for an unknown user. */
    async forUser(principal: Principal, userId: string): Promise<GroupMembership[]> {
      const admin = requirePermission(principal, 'manage_groups')
      return store.read(async (r) => {
        const id = await requireUser(r, admin.tenantId, userId)
        return (await r.groups.forUsers(admin.tenantId, [id])).get(id) ?? []
      })
    },
  }
}

export type GroupsService = ReturnType<typeof createGroupsService>
