import { newUser } from '../users/new-user.js'
import type { Clock } from '../clock.js'
import { BootstrapKeyError, ConflictError, ForbiddenError, ValidationError } from '../errors.js'
import type { TenantId } from '../ids.js'
import { parseInput } from '../parse-input.js'
import { hashPassword } from '../passwords/password-hash.js'
import type { Repositories, Store } from '../ports/store.js'
import type { Principal } from '../principal.js'
import type { UserChanges } from '../users/user.js'
import { activation, suspension } from '../users/user-policy.js'
import type { UsersService } from '../users/users-service.js'
import { accountNotFound, findAccount, requireIamPermission, type AccountRef } from './account-access.js'
import { checkAccountType, checkAuthType, checkUpdate, chosenEmail } from './account-checks.js'
import { CreateAccountInput, UpdateAccountInput } from './account-input.js'
import { parseInclude, type ListAccountsInput } from './account-list-input.js'
import { loadIncluded, planAccountList, runAccountList, type AccountIncluded, type AccountPage } from './account-list.js'
import { DEFAULT_ACCOUNT_TYPE, type Account, type AccountChanges } from './account.js'
import { auditActor, recordAudit } from '../audit/audit-trail.js'
import type { AuditAction } from '../audit/audit-entry.js'
import { checkCondition, parseCondition, type WriteCondition } from '../write-condition.js'

/** One account with the related resources asked for. */
export interface AccountResult {
  readonly account: Account
  readonly included: AccountIncluded
}

export interface IncludeOption {
  /** `roles`, `person`, `organization`, as a list or comma-separated. */
  readonly include?: readonly string[] | string | undefined
}

/** IAM accounts: the tenant's users seen through seed 002. Reads need `manage_users`, like every write. */
export function createAccountsService(store: Store, clock: Clock, users: UsersService) {
  async function withIncluded(r: Repositories, tenantId: TenantId, account: Account, include: unknown): Promise<AccountResult> {
    return { account, included: await loadIncluded(r, tenantId, [account], parseInclude(include)) }
  }

  return {
    /** A page of accounts: filters, sort, offset or cursor paging, count and includes (see ListAccountsInput). */
    async list(principal: Principal, input: ListAccountsInput = {}): Promise<AccountPage> {
      const admin = requireIamPermission(principal, 'manage_users')
      const plan = planAccountList(input, admin.tenantId)
      return store.read((r) => runAccountList(r, admin.tenantId, plan))
    },

    /** The account with its requested includes; NotFoundError for a malformed or unknown id. */
    async get(principal: Principal, id: AccountRef, options: IncludeOption = {}): Promise<AccountResult> {
      const admin = requireIamPermission(principal, 'manage_users')
      parseInclude(options.include)
      return store.read(async (r) => withIncluded(r, admin.tenantId, await findAccount(r, admin.tenantId, id), options.include))
    },

    /** The account of the user a user credential belongs to; an admin key has none (ForbiddenError). */
    async me(principal: Principal, options: IncludeOption = {}): Promise<AccountResult> {
      if (principal.kind === 'bootstrap') throw new BootstrapKeyError()
      if (principal.kind === 'admin') throw new ForbiddenError('An admin key has no account: me needs a user credential')
      parseInclude(options.include)
      return store.read(async (r) => {
        const account = await r.accounts.findByUserId(principal.tenantId, principal.userId)
        if (!account) throw accountNotFound()
        return withIncluded(r, principal.tenantId, account, options.include)
      })
    },

    /** Creates an account (a user visible on every surface). ConflictError naming `email` when taken. */
    async create(principal: Principal, input: CreateAccountInput): Promise<Account> {
      const admin = requireIamPermission(principal, 'manage_users')
      const fields = parseInput(CreateAccountInput, input)
      const email = chosenEmail(fields)
      if (email === undefined) throw new ValidationError('email', 'email is required')
      checkAuthType(fields, false)
      checkAccountType(fields.accountType, null)
      // A taken email is found before any scrypt work; the insert below still enforces it.
      if (fields.password !== undefined && (await store.read((r) => r.passwords.findByEmail(admin.tenantId, email.toLowerCase())))) {
        throw new ConflictError('email', 'A user with this email already exists')
      }
      const hash = fields.password === undefined ? null : await hashPassword(fields.password)
      const { firstName = null, lastName = null } = fields.person ?? {}
      const at = clock.now()
      return store.transaction(async (tx) => {
        const user = await tx.users.insert(admin.tenantId, newUser({
          name: fields.person?.name ?? ([firstName, lastName].filter(Boolean).join(' ') || email),
          firstName,
          lastName,
          email,
          status: fields.enabled === false ? 'suspended' : 'active',
          accountType: fields.accountType ?? DEFAULT_ACCOUNT_TYPE,
          expiresAt: fields.expiresAt ?? null,
          createdAt: at,
          adminKeyId: admin.keyId,
        }))
        if (hash !== null) await tx.passwords.setHash(admin.tenantId, user.id, hash)
        const created = hash === null ? user : await tx.users.findById(admin.tenantId, user.id)
        await recordAudit(tx, auditActor(admin), admin.tenantId, {
          action: 'user.created', targetType: 'user', targetId: user.id, after: created, secrets: hash === null ? undefined : ['password'],
        }, at)
        return findAccount(tx, admin.tenantId, user.id)
      })
    },

    /**
     * Applies the given fields in one transaction: `enabled` suspends or reactivates like the admin
     * surface, `password` sets one, `authType: 'none'` removes it. Nothing given, nothing changes.
     * An admin key cannot change the owner's email, password, status or expiry (ForbiddenError). With
     * `ifVersion`, PreconditionFailedError unless the account is still at that version.
     */
    async update(principal: Principal, id: AccountRef, input: UpdateAccountInput, options?: WriteCondition): Promise<Account> {
      const admin = requireIamPermission(principal, 'manage_users')
      const fields = parseInput(UpdateAccountInput, input)
      const condition = parseCondition(options)
      const email = chosenEmail(fields)
      let ref = id
      if (fields.password !== undefined) {
        // Validated, found and allowed before hashing: a PATCH naming no account, or one it may not change, costs no scrypt work.
        ref = (await store.read(async (r) => {
          const account = await findAccount(r, admin.tenantId, id)
          await checkUpdate(r, admin, account, fields, email)
          return account
        })).userId
      }
      const hash = fields.password === undefined ? null : await hashPassword(fields.password)
      const at = clock.now()
      return store.transaction(async (tx) => {
        // Checked again inside the transaction: the account may have changed while the password was hashed.
        const account = await findAccount(tx, admin.tenantId, ref)
        checkCondition(condition, { id: account.userId, version: account.version })
        await checkUpdate(tx, admin, account, fields, email)
        const status = fields.enabled === true ? activation(account) : fields.enabled === false && account.status !== 'suspended' ? suspension(null) : null
        const userChanges: Omit<UserChanges, 'updatedAt'> = {
          ...(email !== undefined && { email }),
          ...(fields.person?.firstName !== undefined && { firstName: fields.person.firstName }),
          ...(fields.person?.lastName !== undefined && { lastName: fields.person.lastName }),
          ...(fields.person?.name !== undefined && { name: fields.person.name }),
          ...status,
        }
        const accountChanges: Omit<AccountChanges, 'updatedAt'> = {
          ...(fields.accountType !== undefined && { accountType: fields.accountType }),
          ...(fields.expiresAt !== undefined && { expiresAt: fields.expiresAt }),
        }
        const passwordChange = hash !== null || (fields.authType === 'none' && account.authType !== 'none')
        const before = await tx.users.findById(admin.tenantId, account.userId)
        if (Object.keys(userChanges).length > 0) await tx.users.update(admin.tenantId, account.userId, { ...userChanges, updatedAt: at })
        if (passwordChange) await tx.passwords.setHash(admin.tenantId, account.userId, hash)
        if (Object.keys(accountChanges).length > 0 || passwordChange) {
          await tx.accounts.update(admin.tenantId, account.userId, { ...accountChanges, updatedAt: at })
        }
        const after = await tx.users.findById(admin.tenantId, account.userId)
        const action: AuditAction = before?.status !== after?.status ? (after?.status === 'suspended' ? 'user.suspended' : 'user.reactivated') : 'user.updated'
        const secrets = passwordChange ? ['password'] : undefined
        // A PATCH that sets nothing new (the same email, enabled when enabled) changed nothing, so it records nothing.
        if (secrets || Object.keys(userChanges).length > 0 || Object.keys(accountChanges).length > 0) {
          await recordAudit(tx, auditActor(admin), admin.tenantId, { action, targetType: 'user', targetId: account.userId, before, after, secrets }, at)
        }
        return findAccount(tx, admin.tenantId, account.id)
      })
    },

    /** Deletes the account's user from every surface (the users service's delete: the tenant owner is refused). */
    async delete(principal: Principal, id: AccountRef, options?: WriteCondition): Promise<void> {
      const admin = requireIamPermission(principal, 'manage_users')
      const account = await store.read((r) => findAccount(r, admin.tenantId, id))
      await users.delete(admin, account.userId, options)
    },
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
