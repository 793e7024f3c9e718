import { newUser } from './new-user.js'
import type { Clock } from '../clock.js'
import { NotFoundError } from '../errors.js'
import { isUuid, type TenantId, type UserId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import type { Store } from '../ports/store.js'
import { requirePermission, type AdminPrincipal, type Principal } from '../principal.js'
import { CreateUserInput, ReactivateUserInput, SuspendUserInput, UpdateUserInput, type User, type UserChanges } from './user.js'
import {
  countIsCheap,
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  ListUsersInput,
  type UserPage,
} from './user-list-query.js'
import { activation, deleteUser, protectOwner, suspension, type OwnerProtected } from './user-policy.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'
import type { AuditAction } from '../audit/audit-entry.js'
import { checkCondition, parseCondition, type WriteCondition } from '../write-condition.js'

const notFound = () => new NotFoundError('User not found')

/** User accounts of the principal's tenant; every call checks `manage_users` first. */
export function createUsersService(store: Store, clock: Clock) {
  async function load(tenantId: TenantId, id: string): Promise<User> {
    if (!isUuid(id)) throw notFound()
    const user = await store.read((r) => r.users.findById(tenantId, id as UserId))
    if (!user) throw notFound()
    return user
  }

  /**
   * Applies `changes` in one transaction and records them as `action`. `touches` names what of the current
   * user they would change that only the host may change for the tenant owner (or null for nothing), checked first.
   */
  async function change(
    admin: AdminPrincipal, id: string, action: AuditAction, changes: UserChanges, touches?: (user: User) => OwnerProtected | null,
    condition: WriteCondition = {},
  ): Promise<User> {
    if (!isUuid(id)) throw notFound()
    const user = await store.transaction(async (tx) => {
      const current = await tx.users.findById(admin.tenantId, id as UserId)
      if (!current) return null
      checkCondition(condition, current)
      const touched = touches?.(current)
      if (touched) await protectOwner(tx, admin, id as UserId, touched)
      const updated = await tx.users.update(admin.tenantId, id as UserId, changes)
      if (updated) await recordAudit(tx, auditActor(admin), admin.tenantId, { action, targetType: 'user', targetId: id, before: current, after: updated }, changes.updatedAt)
      return updated
    })
    if (!user) throw notFound()
    return user
  }

  return {
    /** Creates a user in the principal's tenant. Throws ValidationError, or ConflictError for a taken email or external id. */
    async create(principal: Principal, input: CreateUserInput): Promise<User> {
      const admin = requirePermission(principal, 'manage_users')
      const fields = parseInput(CreateUserInput, input)
      const createdAt = clock.now()
      return store.transaction(async (tx) => {
        const user = await tx.users.insert(admin.tenantId, newUser({
          externalId: fields.externalId ?? null,
          name: fields.name,
          firstName: fields.firstName ?? null,
          lastName: fields.lastName ?? null,
          email: fields.email ?? null,
          metadata: fields.metadata ?? {},
          status: fields.status ?? 'active',
          billingPlan: fields.billingPlan ?? null,
          createdAt,
          adminKeyId: admin.keyId,
        }))
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'user.created', targetType: 'user', targetId: user.id, after: user }, createdAt)
        return user
      })
    },

    /** The user; NotFoundError when the id is malformed or belongs to no user of this tenant. */
    async get(principal: Principal, id: string): Promise<User> {
      const admin = requirePermission(principal, 'manage_users')
      return load(admin.tenantId, id)
    },

    /** The user with this external id in the principal's tenant, or NotFoundError. */
    async getByExternalId(principal: Principal, externalId: string): Promise<User> {
      const admin = requirePermission(principal, 'manage_users')
      const user = await store.read((r) => r.users.findByExternalId(admin.tenantId, externalId))
      if (!user) throw notFound()
      return user
    },

    /**
     * A page of users, newest first, with filters, offset paging and an opaque cursor for deep pages. The
     * total is exact; it is left out (null) for filters other than status, email and external id unless
     * `count: true` asks for it, because only those are counted without reading every match.
     */
    async list(principal: Principal, input: ListUsersInput = {}): Promise<UserPage> {
      const admin = requirePermission(principal, 'manage_users')
      const { cursor, count, ...query } = parseInput(ListUsersInput, input, 'query')
      const limit = query.limit ?? DEFAULT_PAGE_SIZE
      const offset = cursor === undefined ? (query.offset ?? 0) : 0
      const beforeNumber = cursor === undefined ? undefined : decodeCursor(cursor)
      const counted = count === true || count === 'true' || countIsCheap(query)
      const { users, total } = await store.read(async (r) => ({
        users: await r.users.list(admin.tenantId, { ...query, limit: limit + 1, offset, beforeNumber }),
        total: counted ? await r.users.count(admin.tenantId, query) : null,
      }))
      const hasMore = users.length > limit
      const page = hasMore ? users.slice(0, limit) : users
      const last = page[page.length - 1]
      return { users: page, total, limit, offset, hasMore, nextCursor: hasMore && last ? encodeCursor(last.number) : null }
    },

    /**
     * Applies the given fields; an empty change returns the user as it is. An admin key cannot change the
     * owner's email (ForbiddenError). With `ifVersion`, PreconditionFailedError unless the user is still at that version.
     */
    async update(principal: Principal, id: string, input: UpdateUserInput, options?: WriteCondition): Promise<User> {
      const admin = requirePermission(principal, 'manage_users')
      const fields = parseInput(UpdateUserInput, input)
      const condition = parseCondition(options)
      if (Object.keys(fields).length === 0) {
        const user = await load(admin.tenantId, id)
        checkCondition(condition, user)
        return user
      }
      // The owner's email is how the owner signs in: only the host may change it.
      const email = fields.email
      const touches = email === undefined ? undefined : (user: User) => (user.email === email ? null : 'email' as const)
      return change(admin, id, 'user.updated', { ...fields, updatedAt: clock.now() }, touches, condition)
    },

    /** Suspends the user, keeping the latest reason; suspending again is harmless. An admin key cannot suspend the owner (ForbiddenError). */
    async suspend(principal: Principal, id: string, input: SuspendUserInput = {}): Promise<User> {
      const admin = requirePermission(principal, 'manage_users')
      const { reason } = parseInput(SuspendUserInput, input)
      return change(admin, id, 'user.suspended', { ...suspension(reason ?? null), updatedAt: clock.now() }, () => 'status')
    },

    /** Makes a suspended or pending user active; reactivating an active user is harmless. Only the host reactivates the owner. */
    async reactivate(principal: Principal, id: string, input: ReactivateUserInput = {}): Promise<User> {
      const admin = requirePermission(principal, 'manage_users')
      parseInput(ReactivateUserInput, input)
      const user = await load(admin.tenantId, id)
      const changes = activation(user)
      if (!changes) return user
      return change(admin, id, 'user.reactivated', { ...changes, updatedAt: clock.now() }, () => 'status')
    },

    /**
     * Deletes the user from every surface in one transaction, as the user policy's deletion rule says.
     * The tenant's owner cannot be deleted (ForbiddenError); transfer ownership first. `ifVersion` as for `update`.
     */
    async delete(principal: Principal, id: string, options?: WriteCondition): Promise<void> {
      const admin = requirePermission(principal, 'manage_users')
      const condition = parseCondition(options)
      if (!isUuid(id)) throw notFound()
      await store.transaction((tx) => deleteUser(tx, admin.tenantId, id as UserId, clock.now(), auditActor(admin), condition))
    },
  }
}

export type UsersService = ReturnType<typeof createUsersService>
