import { newUser } from '../users/new-user.js'
import { DEFAULT_ACCOUNT_TYPE } from '../accounts/account.js'
import type { Clock } from '../clock.js'
import type { TenantId } from '../ids.js'
import { ForbiddenError } from '../errors.js'
import { parseInput } from '../parse-input.js'
import type { Repositories, Store } from '../ports/store.js'
import type { Principal } from '../principal.js'
import type { User } from '../users/user.js'
import { isOwner } from '../users/user-policy.js'
import type { UsersService } from '../users/users-service.js'
import { findTenantUser, requireAccount } from './account-scope.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'
import { resetFactors } from '../mfa/mfa-service.js'
import type { WriteCondition } from '../write-condition.js'
import {
  CreateAccountUserInput,
  DEFAULT_ACCOUNT_USERS_LIMIT,
  ListAccountUsersInput,
  type AccountUser,
  type AccountUserPage,
} from './account-user.js'

async function withGroups(r: Repositories, tenantId: TenantId, users: readonly User[]): Promise<AccountUser[]> {
  const groups = await r.groups.forUsers(tenantId, users.map((user) => user.id))
  return users.map((user) => ({ ...user, groupMemberships: groups.get(user.id) ?? [] }))
}

/**
 * Seed 003's account users: `accountId` is the tenant, its owner is listed apart and can be
 * neither deleted nor MFA-reset here (ForbiddenError). Every call checks the ids,
 * the account and the permission in the order `requireAccount` documents.
 */
export function createAccountUsersService(store: Store, clock: Clock, users: UsersService) {
  return {
    /** The owner (or null) and one page of the other users, oldest first, each with its groups. Needs `manage_users`. */
    async list(principal: Principal, accountId: string, input: ListAccountUsersInput = {}): Promise<AccountUserPage> {
      const admin = requireAccount(principal, accountId, 'manage_users')
      const query = parseInput(ListAccountUsersInput, input, 'query')
      const limit = query.limit ?? DEFAULT_ACCOUNT_USERS_LIMIT
      const offset = query.offset ?? 0
      return store.read(async (r) => {
        const { users: page, total } = await r.accountUsers.page(admin.tenantId, { limit, offset })
        const ownerId = (await r.tenants.findById(admin.tenantId))?.ownerUserId ?? null
        const owner = ownerId === null ? null : await r.users.findById(admin.tenantId, ownerId)
        const listed = await withGroups(r, admin.tenantId, owner ? [owner, ...page] : page)
        return {
          owner: owner ? listed[0]! : null,
          users: owner ? listed.slice(1) : listed,
          total,
          limit,
          offset,
          hasMore: offset + page.length < total,
        }
      })
    },

    /** Creates a user named "first last"; ConflictError naming `email` when the account has it. Needs `manage_users`. */
    async create(principal: Principal, accountId: string, input: CreateAccountUserInput): Promise<AccountUser> {
      const admin = requireAccount(principal, accountId, 'manage_users')
      const { email, firstName, lastName } = parseInput(CreateAccountUserInput, input)
      const at = clock.now()
      const user = await store.transaction(async (tx) => {
        const user = await tx.users.insert(admin.tenantId, newUser({
          name: `${firstName} ${lastName}`,
          firstName,
          lastName,
          email,
          accountType: DEFAULT_ACCOUNT_TYPE,
          createdAt: at,
          adminKeyId: admin.keyId,
        }))
        await recordAudit(tx, auditActor(admin), admin.tenantId, { action: 'user.created', targetType: 'user', targetId: user.id, after: user }, at)
        return user
      })
      return { ...user, groupMemberships: [] }
    },

    /** The user (the owner included) with its groups; NotFoundError when the account has no such user. */
    async get(principal: Principal, accountId: string, userId: string): Promise<AccountUser> {
      const admin = requireAccount(principal, accountId, 'manage_users', { userId })
      return store.read(async (r) => (await withGroups(r, admin.tenantId, [await findTenantUser(r, admin.tenantId, userId)]))[0]!)
    },

    /**
     * Deletes the user from every surface, revoking its credentials in the same transaction, and
     * returns it as it was just before. ForbiddenError for the owner, NotFoundError for an unknown user.
     */
    async delete(principal: Principal, accountId: string, userId: string, options?: WriteCondition): Promise<AccountUser> {
      const admin = requireAccount(principal, accountId, 'manage_users', { userId })
      const user = await store.read(async (r) => (await withGroups(r, admin.tenantId, [await findTenantUser(r, admin.tenantId, userId)]))[0]!)
      // One deletion rule for every surface: the users service refuses the owner and revokes credentials.
      await users.delete(admin, user.id, options)
      return user
    },

    /**
     * Removes every MFA factor and recovery code of the user in one transaction; a user without
     * MFA is fine. ForbiddenError for the owner, whoever asks (seed 003: "cannot … have their MFA
     * reset through these endpoints"); NotFoundError for an unknown user.
     */
    async resetMfa(principal: Principal, accountId: string, userId: string): Promise<void> {
      const admin = requireAccount(principal, accountId, 'manage_users', { userId })
      await store.transaction(async (tx) => {
        const user = await findTenantUser(tx, admin.tenantId, userId)
        if (await isOwner(tx, admin.tenantId, user.id)) throw new ForbiddenError('The account owner’s MFA cannot be reset through this endpoint')
        await resetFactors(tx, auditActor(admin), admin.tenantId, user.id, clock.now())
      })
    },
  }
}

export type AccountUsersService = ReturnType<typeof createAccountUsersService>
