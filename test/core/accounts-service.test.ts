import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ConflictError, ForbiddenError, NotFoundError, ValidationError, type Roster } from '../../src/index.js'
import type { UserId } from '../../src/core/ids.js'
import type { Principal, UserPrincipal } from '../../src/core/principal.js'
import { steppingClock } from '../helpers/clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const invalid = (field: string, message?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`)
  assert.equal(error.field, field)
  if (message) assert.match(error.message, message)
  return true
}
const notFound = (error: unknown) => error instanceof NotFoundError && error.message === 'Account not found'

for (const backend of STORES) {
  describe(`${backend.name}: accounts service`, () => {
    let roster: Roster
    let acme: TestTenant
    let beta: TestTenant

    beforeEach(async () => {
      roster = await openTestRoster({ ...(await backend.roster()), clock: steppingClock() })
      acme = await createTestTenant(roster, 'Acme')
      beta = await createTestTenant(roster, 'Beta')
    })
    afterEach(() => roster.close())

    it('creates an account from an email alone, named by it, numbered per tenant, visible to the users service', async () => {
      const first = await roster.accounts.create(acme.principal, { email: 'ann@example.com' })
      const other = await roster.accounts.create(beta.principal, { email: 'ann@example.com' })
      assert.equal(first.id, 1)
      assert.equal(other.id, 1)
      assert.equal(first.personId, first.id)
      assert.deepEqual(
        { email: first.email, accountType: first.accountType, authType: first.authType, enabled: first.enabled, expiresAt: first.expiresAt },
        { email: 'ann@example.com', accountType: 'user', authType: 'none', enabled: true, expiresAt: null },
      )
      assert.equal(first.updatedAt, first.createdAt)
      const user = await roster.users.get(acme.principal, first.userId)
      assert.equal(user.name, 'ann@example.com')
      assert.equal(user.number, 1)
      assert.equal(user.status, 'active')
      assert.equal(user.updatedAt, null)
    })

    it('names the user from person.name, else first and last name', async () => {
      const named = await roster.accounts.create(acme.principal, { email: 'a@x.org', person: { name: 'Acme Ops', firstName: 'Ann' } })
      const parts = await roster.accounts.create(acme.principal, { email: 'b@x.org', person: { firstName: 'Bo', lastName: 'Li' } })
      assert.equal(named.person.name, 'Acme Ops')
      assert.equal(named.person.firstName, 'Ann')
      assert.equal(parts.person.name, 'Bo Li')
      assert.deepEqual(parts.person, { id: parts.id, firstName: 'Bo', lastName: 'Li', name: 'Bo Li', email: 'b@x.org' })
    })

    it('takes the email from person.email, and refuses two different emails or none', async () => {
      const account = await roster.accounts.create(acme.principal, { person: { email: 'p@x.org' } })
      assert.equal(account.email, 'p@x.org')
      await assert.rejects(roster.accounts.create(acme.principal, { email: 'a@x.org', person: { email: 'b@x.org' } }), invalid('person.email'))
      await assert.rejects(roster.accounts.create(acme.principal, {}), invalid('email', /^email is required$/))
      await roster.accounts.create(acme.principal, { email: 'same@x.org', person: { email: 'SAME@x.org' } })
    })

    it('validates every attribute, naming the field', async () => {
      const p = acme.principal
      await assert.rejects(roster.accounts.create(p, { email: 'nope' }), invalid('email', /valid email/))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', accountType: 'Bad Type' }), invalid('accountType'))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', accountType: 'owner' }), invalid('accountType', /reserved/))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', authType: 'saml' as never }), invalid('authType'))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', authType: 'password' }), invalid('authType', /needs a password/))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', authType: 'none', password: 'long enough' }), invalid('password'))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', expiresAt: '2026-02-30' }), invalid('expiresAt'))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', expiresAt: '2026-01-01T10:00:00' }), invalid('expiresAt', /timezone/))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', enabled: 'yes' as never }), invalid('enabled'))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', password: 'short' }), invalid('password', /at least 8/))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', person: { nickname: 'x' } as never }), invalid('person.nickname', /Unknown field/))
      await assert.rejects(roster.accounts.create(p, { email: 'a@x.org', colour: 'red' } as never), invalid('colour', /Unknown field/))
      const page = await roster.accounts.list(p, { count: true })
      assert.equal(page.total, 0, 'no partial write')
    })

    it('normalizes expires_at to UTC and creates disabled accounts suspended', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org', expiresAt: '2030-06-01T12:00:00+02:00', enabled: false })
      assert.equal(account.expiresAt, '2030-06-01T10:00:00.000Z')
      assert.equal(account.enabled, false)
      assert.equal((await roster.users.get(acme.principal, account.userId)).status, 'suspended')
    })

    it('refuses a taken email case-insensitively, across surfaces', async () => {
      await roster.users.create(acme.principal, { name: 'Admin made', email: 'Taken@x.org' })
      await assert.rejects(roster.accounts.create(acme.principal, { email: 'taken@X.org' }), (e) => e instanceof ConflictError && e.field === 'email')
    })

    it('updates fields, bumps updated_at, and leaves an empty change alone', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      const same = await roster.accounts.update(acme.principal, account.id, {})
      assert.equal(same.updatedAt, account.updatedAt)
      const changed = await roster.accounts.update(acme.principal, String(account.id), {
        email: 'new@x.org', accountType: 'service', expiresAt: '2031-01-01', person: { firstName: 'New', lastName: null },
      })
      assert.equal(changed.email, 'new@x.org')
      assert.equal(changed.accountType, 'service')
      assert.equal(changed.expiresAt, '2031-01-01T00:00:00.000Z')
      assert.equal(changed.person.firstName, 'New')
      assert.ok(changed.updatedAt > account.updatedAt)
      const cleared = await roster.accounts.update(acme.principal, account.id, { expiresAt: null })
      assert.equal(cleared.expiresAt, null)
    })

    it('suspends and reactivates through enabled, exactly as the admin surface sees it', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      const off = await roster.accounts.update(acme.principal, account.id, { enabled: false })
      assert.equal(off.enabled, false)
      assert.equal((await roster.users.get(acme.principal, account.userId)).status, 'suspended')
      await roster.users.reactivate(acme.principal, account.userId)
      assert.equal((await roster.accounts.get(acme.principal, account.id)).account.enabled, true)
      await roster.users.suspend(acme.principal, account.userId, { reason: 'unpaid' })
      const on = await roster.accounts.update(acme.principal, account.id, { enabled: true })
      const user = await roster.users.get(acme.principal, account.userId)
      assert.equal(on.enabled, true)
      assert.equal(user.status, 'active')
      assert.equal(user.suspendedReason, null)
      const pending = await roster.users.create(acme.principal, { name: 'P', email: 'p@x.org', status: 'pending' })
      const viaIam = await roster.accounts.get(acme.principal, pending.id)
      assert.equal(viaIam.account.enabled, false)
      await roster.accounts.update(acme.principal, pending.number, { enabled: true })
      assert.equal((await roster.users.get(acme.principal, pending.id)).status, 'active')
    })

    it('keeps the owner account type fixed and the owner undeletable', async () => {
      const { tenant, key } = await roster.tenants.create(roster.principals.bootstrap(), {
        entityName: 'Owned', owner: { email: 'o@x.org', firstName: 'O', lastName: 'W' },
      })
      const admin = await roster.authenticate(key.secret)
      const owner = (await roster.accounts.list(admin, { filter: { account_type: 'owner' } })).accounts[0]!
      assert.equal(owner.tenantId, tenant.id)
      await assert.rejects(roster.accounts.update(admin, owner.id, { accountType: 'user' }), invalid('accountType', /owner/))
      await roster.accounts.update(admin, owner.id, { accountType: 'owner' })
      await assert.rejects(roster.accounts.delete(admin, owner.id), (e) => e instanceof ForbiddenError)
      assert.equal((await roster.accounts.get(admin, owner.id)).account.id, owner.id)
    })

    it('deletes the user from every surface, with its roles', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      const role = await roster.roles.create(acme.principal, { name: 'ops' })
      await roster.roles.grant(acme.principal, account.id, [role.id])
      await roster.accounts.delete(acme.principal, account.id)
      await assert.rejects(roster.accounts.get(acme.principal, account.id), notFound)
      await assert.rejects(roster.users.get(acme.principal, account.userId), NotFoundError)
      await assert.rejects(roster.accounts.delete(acme.principal, account.id), notFound)
      assert.deepEqual((await roster.accounts.list(acme.principal, { filter: { role_name: 'ops' } })).accounts, [])
    })

    it('finds accounts by number, digit string or user id, and 404s anything else or another tenant’s', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      for (const ref of [account.id, String(account.id), account.userId]) {
        assert.equal((await roster.accounts.get(acme.principal, ref)).account.id, account.id)
      }
      for (const ref of [0, -1, 1.5, 99, '01x', 'abc', '', '9'.repeat(20)]) {
        await assert.rejects(roster.accounts.get(acme.principal, ref), notFound, String(ref))
      }
      await assert.rejects(roster.accounts.get(beta.principal, account.userId), notFound)
      await assert.rejects(roster.accounts.update(beta.principal, account.userId, { enabled: false }), notFound)
      await assert.rejects(roster.accounts.delete(beta.principal, account.userId), notFound)
      assert.equal((await roster.accounts.get(acme.principal, account.id)).account.enabled, true)
    })

    it('loads includes for one account', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      const role = await roster.roles.create(acme.principal, { name: 'ops' })
      await roster.roles.grant(acme.principal, account.id, [role.id])
      const { included } = await roster.accounts.get(acme.principal, account.id, { include: ['roles', 'organization', 'person'] })
      assert.deepEqual([...included.include].sort(), ['organization', 'person', 'roles'])
      assert.deepEqual(included.roles?.get(account.userId)?.map((r) => r.name), ['ops'])
      assert.equal(included.organization?.name, 'Acme')
      await assert.rejects(roster.accounts.get(acme.principal, account.id, { include: 'groups' }), invalid('include'))
    })

    it('answers me for a user principal only', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'me@x.org' })
      const me: UserPrincipal = { kind: 'user', tenantId: acme.principal.tenantId, userId: account.userId, credentialId: 'c' }
      const result = await roster.accounts.me(me, { include: 'organization' })
      assert.equal(result.account.id, account.id)
      assert.equal(result.included.organization?.name, 'Acme')
      await assert.rejects(roster.accounts.me(acme.principal), (e) => e instanceof ForbiddenError && /admin key has no account/.test(e.message))
      await assert.rejects(roster.accounts.me(roster.principals.bootstrap()), BootstrapKeyError)
      const ghost: UserPrincipal = { ...me, userId: '00000000-0000-4000-8000-000000000000' as UserId }
      await assert.rejects(roster.accounts.me(ghost), notFound)
    })

    it('needs manage_users; refuses bootstrap and user principals', async () => {
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_roles'])
      const asUser: UserPrincipal = { kind: 'user', tenantId: acme.principal.tenantId, userId: account.userId, credentialId: 'c' }
      const calls = (p: Principal) => [
        () => roster.accounts.list(p),
        () => roster.accounts.get(p, 1),
        () => roster.accounts.create(p, { email: 'b@x.org' }),
        () => roster.accounts.update(p, 1, {}),
        () => roster.accounts.delete(p, 1),
      ]
      for (const call of calls(narrow.principal)) await assert.rejects(call(), (e) => e instanceof ForbiddenError && /manage_users required/.test(e.message))
      for (const call of calls(roster.principals.bootstrap())) await assert.rejects(call(), BootstrapKeyError)
      for (const call of calls(asUser)) await assert.rejects(call(), (e) => e instanceof ForbiddenError && /own account/.test(e.message))
      assert.equal((await roster.accounts.get(acme.principal, account.id)).account.email, 'a@x.org')
    })
  })
}
