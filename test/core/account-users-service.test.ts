import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import {
  BootstrapKeyError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type AdminPrincipal,
  type Roster,
  type User,
} from '../../src/index.js'
import type { UserId } from '../../src/core/ids.js'
import type { UserPrincipal } from '../../src/core/principal.js'
import { base32Decode, totpCode } from '../../src/core/mfa/totp.js'
import { manualClock } from '../helpers/manual-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const UNKNOWN = '00000000-0000-4000-8000-000000000000'

for (const backend of STORES) {
  describe(`${backend.name}: account users service`, () => {
    let roster: Roster
    let acme: AdminPrincipal
    let accountId: string
    let owner: User

    beforeEach(async () => {
      roster = await openTestRoster({ ...(await backend.roster()), clock: manualClock() })
      const created = await roster.tenants.create(roster.principals.bootstrap(), {
        entityName: 'Acme', owner: { email: 'owner@acme.com', firstName: 'Olive', lastName: 'Owner' },
      })
      acme = (await roster.authenticate(created.key.secret)) as AdminPrincipal
      accountId = created.tenant.id
      owner = created.owner!
    })
    afterEach(() => roster.close())

    const add = (first: string, email = `${first.toLowerCase()}@acme.com`) =>
      roster.accountUsers.create(acme, accountId, { email, firstName: first, lastName: 'Smith' })

    it('creates a user named "first last" that every surface sees', async () => {
      const ada = await add('Ada')
      assert.deepEqual([ada.name, ada.firstName, ada.lastName, ada.email, ada.accountType, ada.status, ada.groupMemberships],
        ['Ada Smith', 'Ada', 'Smith', 'ada@acme.com', 'user', 'active', []])
      const { groupMemberships, ...user } = ada
      assert.deepEqual(await roster.users.get(acme, ada.id), user)
      assert.equal((await roster.accounts.get(acme, ada.id)).account.email, 'ada@acme.com')
      await assert.rejects(add('Other', 'ADA@acme.com'), (e) => e instanceof ConflictError && e.field === 'email')
      await assert.rejects(roster.accountUsers.create(acme, accountId, { email: 'x@acme.com', firstName: 'X' } as never),
        (e) => e instanceof ValidationError && e.field === 'lastName')
    })

    it('lists the owner apart and the others oldest first, each with its groups', async () => {
      const [ada, bob] = [await add('Ada'), await add('Bob')]
      const group = await roster.groups.create(acme, { name: 'Ops' })
      await roster.groups.addMember(acme, group.id, bob.id)
      await roster.groups.addMember(acme, group.id, owner.id)
      const page = await roster.accountUsers.list(acme, accountId)
      assert.equal(page.owner?.id, owner.id)
      assert.deepEqual(page.owner?.groupMemberships, [{ groupId: group.id, name: 'Ops' }])
      assert.deepEqual(page.users.map((u) => [u.id, u.groupMemberships.length]), [[ada.id, 0], [bob.id, 1]])
      assert.deepEqual([page.total, page.limit, page.offset, page.hasMore], [2, 100, 0, false])
      const second = await roster.accountUsers.list(acme, accountId, { limit: 1, offset: 1 })
      assert.deepEqual([second.users.map((u) => u.id), second.total, second.hasMore, second.owner?.id], [[bob.id], 2, false, owner.id])
      assert.equal((await roster.accountUsers.list(acme, accountId, { limit: 1 })).hasMore, true)
    })

    it('lists owner null for a tenant created without one', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      await roster.users.create(beta.principal, { name: 'Someone' })
      const page = await roster.accountUsers.list(beta.principal, beta.tenantId)
      assert.deepEqual([page.owner, page.users.length, page.total], [null, 1, 1])
    })

    it('refuses to delete the owner or reset the owner’s MFA', async () => {
      await assert.rejects(roster.accountUsers.delete(acme, accountId, owner.id), (e) => e instanceof ForbiddenError && e.message === 'The account owner cannot be deleted')
      for (const principal of [acme, roster.principals.tenant(accountId)]) {
        await assert.rejects(roster.accountUsers.resetMfa(principal, accountId, owner.id),
          (e) => e instanceof ForbiddenError && e.message === 'The account owner’s MFA cannot be reset through this endpoint')
      }
      assert.equal((await roster.accountUsers.get(acme, accountId, owner.id)).id, owner.id)
    })

    it('deletes a user and resets MFA, with NotFoundError for unknown users', async () => {
      const ada = await add('Ada')
      await roster.accountUsers.resetMfa(acme, accountId, ada.id)
      const { secret } = await roster.mfa.startEnrolment(acme, ada.id)
      await roster.mfa.confirm(acme, ada.id, { code: totpCode(base32Decode(secret)!, Date.parse('2026-01-26T12:00:00Z') / 1000) })
      await roster.accountUsers.resetMfa(acme, accountId, ada.id.toUpperCase())
      assert.equal((await roster.mfa.status(acme, ada.id)).state, 'none')
      const group = await roster.groups.create(acme, { name: 'Ops' })
      await roster.groups.addMember(acme, group.id, ada.id)
      const deleted = await roster.accountUsers.delete(acme, accountId, ada.id.toUpperCase())
      assert.deepEqual([deleted.id, deleted.email, deleted.groupMemberships], [ada.id, 'ada@acme.com', [{ groupId: group.id, name: 'Ops' }]])
      for (const call of [
        () => roster.accountUsers.get(acme, accountId, ada.id),
        () => roster.accountUsers.delete(acme, accountId, ada.id),
        () => roster.accountUsers.resetMfa(acme, accountId, ada.id),
        () => roster.users.get(acme, ada.id),
      ]) await assert.rejects(call(), NotFoundError)
    })

    it('checks ids, then the account, then the permission, then existence', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      const narrow = await roster.keys.create(acme, { permissions: ['manage_groups'] })
      const narrowPrincipal = await roster.authenticate(narrow.secret)
      const asUser: UserPrincipal = { kind: 'user', tenantId: acme.tenantId, userId: owner.id as UserId, credentialId: 'c' }
      const cases: [string, () => Promise<unknown>, (e: unknown) => boolean][] = [
        ['long account id', () => roster.accountUsers.list(beta.principal, `${accountId}-00000000000000`), (e) => e instanceof NotFoundError],
        ['malformed user id beats the account', () => roster.accountUsers.get(beta.principal, accountId, 'nope'), (e) => e instanceof NotFoundError],
        ['bootstrap key', () => roster.accountUsers.list(roster.principals.bootstrap(), accountId), (e) => e instanceof BootstrapKeyError],
        ['user credential', () => roster.accountUsers.list(asUser, accountId), (e) => e instanceof ForbiddenError],
        ['other tenant', () => roster.accountUsers.get(beta.principal, accountId, owner.id), (e) => e instanceof ForbiddenError],
        ['unknown account', () => roster.accountUsers.list(acme, UNKNOWN), (e) => e instanceof ForbiddenError],
        ['permission beats existence', () => roster.accountUsers.get(narrowPrincipal, accountId, UNKNOWN),
          (e) => e instanceof ForbiddenError && e.message === 'Permission denied: manage_users required'],
        ['unknown user', () => roster.accountUsers.get(acme, accountId, UNKNOWN), (e) => e instanceof NotFoundError],
      ]
      for (const [name, call, check] of cases) await assert.rejects(call(), check, name)
      assert.equal((await roster.accountUsers.list(acme, accountId.toUpperCase())).owner?.id, owner.id)
    })

    it('transfers ownership: the new owner is listed apart, the old one becomes an ordinary user', async () => {
      const ada = await add('Ada')
      const host = roster.principals.tenant(accountId)
      const tenant = await roster.tenants.transferOwnership(host, ada.id.toUpperCase())
      assert.equal(tenant.ownerUserId, ada.id)
      const page = await roster.accountUsers.list(acme, accountId)
      assert.deepEqual([page.owner?.id, page.users.map((u) => u.id)], [ada.id, [owner.id]])
      assert.deepEqual([(await roster.users.get(acme, ada.id)).accountType, (await roster.users.get(acme, owner.id)).accountType], ['owner', 'user'])
      assert.deepEqual(await roster.tenants.transferOwnership(host, ada.id), tenant)
      await assert.rejects(roster.accountUsers.delete(acme, accountId, ada.id), ForbiddenError)
      await roster.accountUsers.delete(acme, accountId, owner.id)
      assert.equal((await roster.tenants.get(acme, accountId)).ownerUserId, ada.id)
    })

    it('gives a tenant without an owner its first one', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      const user = await roster.users.create(beta.principal, { name: 'First' })
      await roster.tenants.transferOwnership(roster.principals.tenant(beta.tenantId), user.id)
      assert.equal((await roster.accountUsers.list(beta.principal, beta.tenantId)).owner?.id, user.id)
    })

    it('refuses transfers to unknown or foreign users, with any admin key, and without manage_users', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      const stranger = await roster.users.create(beta.principal, { name: 'Stranger' })
      const host = roster.principals.tenant(accountId)
      for (const id of ['nope', UNKNOWN, stranger.id]) await assert.rejects(roster.tenants.transferOwnership(host, id), NotFoundError)
      const narrow = await roster.authenticate((await roster.keys.create(acme, { permissions: ['manage_groups'] })).secret)
      const ada = await add('Ada')
      await assert.rejects(roster.tenants.transferOwnership(narrow, ada.id), ForbiddenError)
      // Even the all-permission key: only the host moves ownership.
      await assert.rejects(roster.tenants.transferOwnership(acme, ada.id),
        (e) => e instanceof ForbiddenError && /cannot be transferred with an admin key/.test(e.message))
      await assert.rejects(roster.tenants.transferOwnership(roster.principals.bootstrap(), ada.id), BootstrapKeyError)
      assert.equal((await roster.tenants.get(acme, accountId)).ownerUserId, owner.id)
    })
  })
}
