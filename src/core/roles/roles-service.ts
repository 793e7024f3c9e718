import { findAccount, requireIamPermission, type AccountRef } from '../accounts/account-access.js'
import type { Clock } from '../clock.js'
import { NotFoundError, ValidationError } from '../errors.js'
import { isUuid, newId, type TenantId, type UserId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Repositories, Store } from '../ports/store.js'
import type { Principal } from '../principal.js'
import { CreateRoleInput, UpdateRoleInput, type Role, type RoleId } from './role.js'
import { parseRoleList, type ListRolesInput } from './role-list-input.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'
import { checkCondition, parseCondition, type WriteCondition } from '../write-condition.js'

export const MAX_ROLES_PER_CHANGE = 1000

/** No role with this id in the tenant; `field` is `roleIds.N`, the position of the id in the request. */
export class RoleNotFoundError extends NotFoundError {
  override readonly field: string
  constructor(field: string, id: string) {
    super(`Role not found: ${id}`)
    this.field = field
  }
}

export interface RolePage {
  readonly roles: readonly Role[]
  /** Every matching role; null unless counted. */
  readonly total: number | null
  readonly number: number
  readonly size: number
  readonly hasNext: boolean
}

const roleNotFound = () => new NotFoundError('Role not found')

async function loadRoles(tx: Repositories, tenantId: TenantId, roleIds: unknown): Promise<RoleId[]> {
  if (!Array.isArray(roleIds) || roleIds.length > MAX_ROLES_PER_CHANGE) {
    throw new ValidationError('roleIds', `roleIds must be a list of at most ${MAX_ROLES_PER_CHANGE} role ids`)
  }
  const ids: RoleId[] = []
  for (const [i, id] of roleIds.entries()) {
    if (!isUuid(id) || !(await tx.roles.findById(tenantId, id as RoleId))) throw new RoleNotFoundError(`roleIds.${i}`, String(id))
    ids.push(id as RoleId)
  }
  return ids
}

/** Tenant-scoped roles and the accounts holding them; every call needs `manage_roles`. */
export function createRolesService(store: Store, clock: Clock) {
  async function holding(principal: Principal, account: AccountRef, change?: (tx: Repositories, tenantId: TenantId, userId: UserId) => Promise<void>): Promise<Role[]> {
    const admin = requireIamPermission(principal, 'manage_roles')
    const work = async (tx: Repositories) => {
      const found = await findAccount(tx, admin.tenantId, account)
      const held = async () => (await tx.roles.forUsers(admin.tenantId, [found.userId])).get(found.userId) ?? []
      if (!change) return held()
      const before = await held()
      await change(tx, admin.tenantId, found.userId)
      const after = await held()
      const ids = (roles: Role[]) => roles.map((role) => role.id).sort()
      // Granting a held role or revoking one not held changes nothing, so it records nothing.
      if (ids(before).join() !== ids(after).join()) {
        await recordAudit(tx, auditActor(admin), admin.tenantId, {
          action: 'user.roles_changed', targetType: 'user', targetId: found.userId, before: { roleIds: ids(before) }, after: { roleIds: ids(after) },
        }, clock.now())
      }
      return after
    }
    return change ? store.transaction(work) : store.read(work)
  }

  return {
    /** Creates a role; ConflictError naming `name` when the tenant has one of that name. */
    async create(principal: Principal, input: CreateRoleInput): Promise<Role> {
      const admin = requireIamPermission(principal, 'manage_roles')
      const fields = parseInput(CreateRoleInput, input)
      const at = clock.now()
      return store.transaction(async (tx) => {
        const role = await tx.roles.insert(admin.tenantId, { id: newId<RoleId>(), name: fields.name, description: fields.description ?? null, createdAt: at })
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'role.created', targetType: 'role', targetId: role.id, after: role }, at)
        return role
      })
    },

    /** The role; NotFoundError when the id is malformed or names no role of this tenant. */
    async get(principal: Principal, id: string): Promise<Role> {
      const admin = requireIamPermission(principal, 'manage_roles')
      const role = isUuid(id) ? await store.read((r) => r.roles.findById(admin.tenantId, id as RoleId)) : null
      if (!role) throw roleNotFound()
      return role
    },

    /** A page of the tenant's roles, by name unless sorted otherwise. */
    async list(principal: Principal, input: ListRolesInput = {}): Promise<RolePage> {
      const admin = requireIamPermission(principal, 'manage_roles')
      const { query, number, size, count } = parseRoleList(input)
      const { roles, total } = await store.read((r) => r.roles.list(admin.tenantId, query))
      return { roles, total: count ? total : null, number, size, hasNext: query.offset + roles.length < total }
    },

    /** Renames or re-describes a role; an empty change returns it as it is. `ifVersion`: PreconditionFailedError unless the role is still at it. */
    async update(principal: Principal, id: string, input: UpdateRoleInput, options?: WriteCondition): Promise<Role> {
      const admin = requireIamPermission(principal, 'manage_roles')
      const fields = parseInput(UpdateRoleInput, input)
      const condition = parseCondition(options)
      if (!isUuid(id)) throw roleNotFound()
      const role = await store.transaction(async (tx) => {
        const current = await tx.roles.findById(admin.tenantId, id as RoleId)
        if (current) checkCondition(condition, current)
        if (!current || Object.keys(fields).length === 0) return current
        const at = clock.now()
        const updated = await tx.roles.update(admin.tenantId, id as RoleId, { ...fields, updatedAt: at })
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'role.updated', targetType: 'role', targetId: id, before: current, after: updated }, at)
        return updated
      })
      if (!role) throw roleNotFound()
      return role
    },

    /** Deletes the role; every account holding it loses it in the same transaction. */
    async delete(principal: Principal, id: string, options?: WriteCondition): Promise<void> {
      const admin = requireIamPermission(principal, 'manage_roles')
      const condition = parseCondition(options)
      const deleted = isUuid(id) && (await store.transaction(async (tx) => {
        const role = await tx.roles.findById(admin.tenantId, id as RoleId)
        if (role) checkCondition(condition, role)
        if (!role || !(await tx.roles.delete(admin.tenantId, role.id))) return false
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'role.deleted', targetType: 'role', targetId: role.id, before: role }, clock.now())
        return true
      }))
      if (!deleted) throw roleNotFound()
    },

    /** The roles the account holds, by name. */
    forAccount: (principal: Principal, account: AccountRef): Promise<Role[]> => holding(principal, account),

    /** Gives the account each role (RoleNotFoundError naming the first unknown one; nothing changes then); returns all it holds. */
    grant: (principal: Principal, account: AccountRef, roleIds: readonly string[]): Promise<Role[]> =>
      holding(principal, account, async (tx, tenantId, userId) => tx.roles.grant(tenantId, userId, await loadRoles(tx, tenantId, roleIds), clock.now())),

    /** Takes each role from the account; roles it does not hold are ignored, unknown ones refused. */
    revoke: (principal: Principal, account: AccountRef, roleIds: readonly string[]): Promise<Role[]> =>
      holding(principal, account, async (tx, tenantId, userId) => tx.roles.revoke(tenantId, userId, await loadRoles(tx, tenantId, roleIds))),

    /** Makes the account hold exactly these roles (an empty list removes all). */
    replace: (principal: Principal, account: AccountRef, roleIds: readonly string[]): Promise<Role[]> =>
      holding(principal, account, async (tx, tenantId, userId) => {
        const wanted = await loadRoles(tx, tenantId, roleIds)
        const held = ((await tx.roles.forUsers(tenantId, [userId])).get(userId) ?? []).map((role) => role.id)
        await tx.roles.revoke(tenantId, userId, held.filter((id) => !wanted.includes(id)))
        await tx.roles.grant(tenantId, userId, wanted, clock.now())
      }),
  }
}

export type RolesService = ReturnType<typeof createRolesService>
