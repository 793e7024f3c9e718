import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { ForbiddenError, NotFoundError, PERMISSIONS, ValidationError, type Roster } from '../../src/index.js'
import { createTestTenant, openTestRoster } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

for (const backend of STORES) {
  describe(`${backend.name}: tenants service`, () => {
    let roster: Roster
    const bootstrap = () => roster.principals.bootstrap()

    beforeEach(async () => {
      roster = await openTestRoster(await backend.roster())
    })
    afterEach(() => roster.close())

    it('creates a tenant with a first admin key holding every permission', async () => {
      const { tenant, key, owner } = await roster.tenants.create(bootstrap(), { entityName: '  Acme  ' })
      assert.equal(tenant.name, 'Acme')
      assert.equal(tenant.ownerUserId, null)
      assert.equal(owner, null)
      assert.deepEqual([key.tenantId, key.tenantName, key.name, [...key.permissions].sort()], [tenant.id, 'Acme', 'Admin key', [...PERMISSIONS].sort()])
      const principal = await roster.authenticate(key.secret)
      assert.deepEqual(principal, { kind: 'admin', tenantId: tenant.id, keyId: key.id, permissions: new Set(PERMISSIONS) })
      assert.deepEqual(await roster.tenants.get(principal, tenant.id), tenant)
    })

    it('narrows the first key and creates the owner, pointed to by the tenant', async () => {
      const { tenant, key, owner } = await roster.tenants.create(bootstrap(), {
        entityName: 'Acme', name: 'Ops', permissions: ['manage_users'],
        owner: { email: 'Ada@Acme.com', firstName: 'Ada', lastName: 'Lovelace' },
      })
      assert.deepEqual([key.name, key.permissions], ['Ops', ['manage_users']])
      assert.ok(owner)
      assert.deepEqual([owner.name, owner.email, owner.accountType, owner.adminKeyId, owner.tenantName, owner.number],
        ['Ada Lovelace', 'Ada@Acme.com', 'owner', key.id, 'Acme', 1])
      assert.equal(tenant.ownerUserId, owner.id)
      const admin = await roster.authenticate(key.secret)
      assert.equal((await roster.tenants.get(admin, tenant.id)).ownerUserId, owner.id)
      assert.deepEqual(await roster.users.get(admin, owner.id), owner)
    })

    it('lets only the bootstrap key create tenants', async () => {
      const acme = await createTestTenant(roster, 'Acme')
      for (const principal of [acme.principal, roster.principals.tenant(acme.tenantId)]) {
        await assert.rejects(roster.tenants.create(principal, { entityName: 'Sneaky' }), ForbiddenError)
      }
    })

    it('lists every tenant to the bootstrap principal only', async () => {
      const acme = await createTestTenant(roster, 'Acme')
      const beta = await createTestTenant(roster, 'Beta')
      assert.deepEqual((await roster.tenants.list(bootstrap())).map((t) => [t.id, t.name]).sort(),
        [[acme.tenantId, 'Acme'], [beta.tenantId, 'Beta']].sort())
      for (const principal of [acme.principal, roster.principals.tenant(acme.tenantId)]) {
        await assert.rejects(roster.tenants.list(principal), ForbiddenError)
      }
    })

    it('shows a tenant only to its own principals', async () => {
      const acme = await createTestTenant(roster, 'Acme')
      const beta = await createTestTenant(roster, 'Beta')
      await assert.rejects(roster.tenants.get(beta.principal, acme.tenantId), NotFoundError)
      await assert.rejects(roster.tenants.get(bootstrap(), acme.tenantId), NotFoundError)
      await assert.rejects(roster.tenants.get(acme.principal, 'not-a-uuid'), NotFoundError)
      assert.equal((await roster.tenants.get(roster.principals.tenant(acme.tenantId), acme.tenantId)).name, 'Acme')
    })

    it('rejects bad input naming the field, and creates nothing', async () => {
      const cases: [unknown, string, RegExp?][] = [
        [{}, 'entityName', /^entityName is required and must be a non-empty string$/],
        [{ entityName: '' }, 'entityName', /^entityName is required/],
        [{ entityName: 'x'.repeat(256) }, 'entityName', /255/],
        [{ entityName: 'A', permissions: ['root'] }, 'permissions.0'],
        [{ entityName: 'A', owner: { email: 'bad', firstName: 'A', lastName: 'B' } }, 'owner.email', /valid email/],
        [{ entityName: 'A', owner: { email: 'a@b.co', firstName: 'A' } }, 'owner.lastName'],
        [{ entityName: 'A', owner: 'me' }, 'owner'],
        [{ entityName: 'A', plan: 'gold' }, 'plan', /^Unknown field: plan$/],
      ]
      for (const [input, field, message] of cases) {
        await assert.rejects(roster.tenants.create(bootstrap(), input as never), (e) => {
          assert.ok(e instanceof ValidationError, String(e))
          assert.equal(e.field, field)
          if (message) assert.match(e.message, message)
          return true
        })
      }
    })

    it('allows two tenants with the same name, each fully separate', async () => {
      const one = await createTestTenant(roster, 'Twin')
      const two = await createTestTenant(roster, 'Twin')
      assert.notEqual(one.tenantId, two.tenantId)
      await roster.users.create(one.principal, { name: 'U', email: 'u@x.com' })
      assert.equal((await roster.users.list(two.principal)).total, 0)
    })
  })
}
