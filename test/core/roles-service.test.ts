import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ConflictError, ForbiddenError, NotFoundError, RoleNotFoundError, ValidationError, type Roster } from '../../src/index.js'
import type { UserId } from '../../src/core/ids.js'
import type { UserPrincipal } from '../../src/core/principal.js'
import { steppingClock } from '../helpers/clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const roleNotFound = (error: unknown) => error instanceof NotFoundError && error.message === 'Role not found'
const invalid = (field: string) => (error: unknown) => error instanceof ValidationError && error.field === field

for (const backend of STORES) {
  describe(`${backend.name}: roles service`, () => {
    let roster: Roster
    let acme: TestTenant
    let beta: TestTenant

    beforeEach(async () => {
      roster = await openTestRoster({ ...(await backend.roster()), clock: steppingClock() })
      acme = await createTestTenant(roster, 'Acme')
      beta = await createTestTenant(roster, 'Beta')
    })
    afterEach(() => roster.close())

    it('creates, reads, renames and deletes a tenant’s roles', async () => {
      const role = await roster.roles.create(acme.principal, { name: '  Billing ', description: 'invoices' })
      assert.equal(role.name, 'Billing')
      assert.equal(role.description, 'invoices')
      assert.equal(role.updatedAt, null)
      assert.deepEqual(await roster.roles.get(acme.principal, role.id), role)
      const renamed = await roster.roles.update(acme.principal, role.id, { name: 'Finance', description: null })
      assert.equal(renamed.name, 'Finance')
      assert.equal(renamed.description, null)
      assert.ok(renamed.updatedAt)
      assert.deepEqual(await roster.roles.update(acme.principal, role.id, {}), renamed)
      await roster.roles.delete(acme.principal, role.id)
      await assert.rejects(roster.roles.get(acme.principal, role.id), roleNotFound)
      await assert.rejects(roster.roles.delete(acme.principal, role.id), roleNotFound)
    })

    it('keeps names unique per tenant and free of commas', async () => {
      await roster.roles.create(acme.principal, { name: 'ops' })
      await roster.roles.create(beta.principal, { name: 'ops' })
      await assert.rejects(roster.roles.create(acme.principal, { name: 'ops' }), (e) => e instanceof ConflictError && e.field === 'name')
      const other = await roster.roles.create(acme.principal, { name: 'dev' })
      await assert.rejects(roster.roles.update(acme.principal, other.id, { name: 'ops' }), (e) => e instanceof ConflictError && e.field === 'name')
      await assert.rejects(roster.roles.create(acme.principal, { name: 'a,b' }), invalid('name'))
      await assert.rejects(roster.roles.create(acme.principal, { name: ' ' }), invalid('name'))
      await assert.rejects(roster.roles.create(acme.principal, { name: 'x'.repeat(101) }), invalid('name'))
      await assert.rejects(roster.roles.create(acme.principal, { name: 'x', level: 1 } as never), invalid('level'))
    })

    it('never shows or changes another tenant’s role', async () => {
      const role = await roster.roles.create(beta.principal, { name: 'secret' })
      await assert.rejects(roster.roles.get(acme.principal, role.id), roleNotFound)
      await assert.rejects(roster.roles.update(acme.principal, role.id, { name: 'mine' }), roleNotFound)
      await assert.rejects(roster.roles.delete(acme.principal, role.id), roleNotFound)
      await assert.rejects(roster.roles.get(acme.principal, 'not-a-uuid'), roleNotFound)
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      await assert.rejects(roster.roles.grant(acme.principal, account.id, [role.id]), (e) => e instanceof RoleNotFoundError && e.field === 'roleIds.0')
      assert.equal((await roster.roles.list(acme.principal, { count: true })).total, 0)
      assert.equal((await roster.roles.get(beta.principal, role.id)).name, 'secret')
    })

    it('lists with filters, sort, pages and count', async () => {
      for (const name of ['delta', 'Alpha', 'charlie', 'bravo']) await roster.roles.create(acme.principal, { name })
      const names = async (input: Parameters<Roster['roles']['list']>[1]) => (await roster.roles.list(acme.principal, input)).roles.map((r) => r.name)
      assert.deepEqual(await names({}), ['Alpha', 'bravo', 'charlie', 'delta'])
      assert.deepEqual(await names({ sort: '-name' }), ['delta', 'charlie', 'bravo', 'Alpha'])
      assert.deepEqual(await names({ sort: '-created_at' }), ['bravo', 'charlie', 'Alpha', 'delta'])
      assert.deepEqual(await names({ filter: { name: 'bravo' } }), ['bravo'])
      assert.deepEqual(await names({ filter: { name__match: 'A*A' } }), ['Alpha'])
      assert.deepEqual(await names({ filter: { name__match: 'r' } }), ['bravo', 'charlie'])
      const page = await roster.roles.list(acme.principal, { page: { number: 2, size: 3 }, count: 'true' })
      assert.deepEqual(page.roles.map((r) => r.name), ['delta'])
      assert.deepEqual({ total: page.total, number: page.number, size: page.size, hasNext: page.hasNext }, { total: 4, number: 2, size: 3, hasNext: false })
      assert.equal((await roster.roles.list(acme.principal, { page: { size: 3 } })).hasNext, true)
      await assert.rejects(roster.roles.list(acme.principal, { filter: { colour: 'x' } }), invalid('filter[colour]'))
      await assert.rejects(roster.roles.list(acme.principal, { sort: 'rank' }), invalid('sort'))
      await assert.rejects(roster.roles.list(acme.principal, { page: { size: 0 } }), invalid('page[size]'))
      await assert.rejects(roster.roles.list(acme.principal, { page: { after: 'x' } as never }), invalid('page[after]'))
      await assert.rejects(roster.roles.list(acme.principal, { count: 'maybe' }), invalid('count'))
    })

    it('grants, revokes and replaces an account’s roles', async () => {
      const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => roster.roles.create(acme.principal, { name })))
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      const held = async () => (await roster.roles.forAccount(acme.principal, account.id)).map((r) => r.name)
      assert.deepEqual(await held(), [])
      assert.deepEqual((await roster.roles.grant(acme.principal, account.id, [b!.id, a!.id, a!.id])).map((r) => r.name), ['a', 'b'])
      await roster.roles.grant(acme.principal, account.userId, [b!.id])
      assert.deepEqual(await held(), ['a', 'b'])
      await roster.roles.revoke(acme.principal, account.id, [a!.id, c!.id])
      assert.deepEqual(await held(), ['b'])
      await roster.roles.replace(acme.principal, account.id, [c!.id, a!.id])
      assert.deepEqual(await held(), ['a', 'c'])
      await roster.roles.replace(acme.principal, account.id, [])
      assert.deepEqual(await held(), [])
    })

    it('changes nothing when any role of a request is unknown', async () => {
      const a = await roster.roles.create(acme.principal, { name: 'a' })
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      const missing = '00000000-0000-4000-8000-000000000000'
      await assert.rejects(roster.roles.grant(acme.principal, account.id, [a.id, missing]), (e) => e instanceof RoleNotFoundError && e.field === 'roleIds.1')
      await assert.rejects(roster.roles.replace(acme.principal, account.id, [a.id, 'junk']), (e) => e instanceof RoleNotFoundError && e.field === 'roleIds.1')
      assert.deepEqual(await roster.roles.forAccount(acme.principal, account.id), [])
      await assert.rejects(roster.roles.grant(acme.principal, account.id, 'x' as never), invalid('roleIds'))
      await assert.rejects(roster.roles.grant(acme.principal, 99, [a.id]), (e) => e instanceof NotFoundError && e.message === 'Account not found')
    })

    it('deleting a role takes it from every account', async () => {
      const role = await roster.roles.create(acme.principal, { name: 'a' })
      const account = await roster.accounts.create(acme.principal, { email: 'a@x.org' })
      await roster.roles.grant(acme.principal, account.id, [role.id])
      await roster.roles.delete(acme.principal, role.id)
      assert.deepEqual(await roster.roles.forAccount(acme.principal, account.id), [])
    })

    it('needs manage_roles; refuses bootstrap and user principals', async () => {
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_users'])
      const account = await roster.accounts.create(narrow.principal, { email: 'a@x.org' })
      const asUser: UserPrincipal = { kind: 'user', tenantId: narrow.principal.tenantId, userId: account.userId as UserId, credentialId: 'c' }
      for (const principal of [narrow.principal, roster.principals.bootstrap(), asUser]) {
        const expected = principal.kind === 'bootstrap' ? BootstrapKeyError : ForbiddenError
        for (const call of [
          () => roster.roles.create(principal, { name: 'x' }),
          () => roster.roles.list(principal),
          () => roster.roles.get(principal, '00000000-0000-4000-8000-000000000000'),
          () => roster.roles.forAccount(principal, account.id),
          () => roster.roles.grant(principal, account.id, []),
        ]) await assert.rejects(call(), expected)
      }
    })
  })
}
