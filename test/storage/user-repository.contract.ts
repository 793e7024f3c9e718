import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { ConflictError } from '../../src/core/errors.js'
import { newId, type TenantId, type UserId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import type { NewUser } from '../../src/core/users/user.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { addTenant, newUser } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

/** UserRepository guarantees: tenant scoping, null for absence, uniqueness per tenant, numbering, updates. */
export function userRepositoryContract(backend: Backend) {
  describe(`${backend.name}: user repository`, () => {
    let store: Store
    let a: TenantId
    let b: TenantId
    const insert = (tenant: TenantId, overrides: Partial<NewUser> = {}) =>
      store.transaction((tx) => tx.users.insert(tenant, newUser(overrides)))
    const conflict = (field: string) => (error: unknown) => error instanceof ConflictError && error.field === field

    beforeEach(async () => {
      store = await backend.store()
      a = await addTenant(store, 'Acme')
      b = await addTenant(store, 'Beta')
    })
    afterEach(() => store.close())

    it('inserts a user and finds it again with every field', async () => {
      const fields = newUser({ externalId: 'cust_1', name: 'Acme Corp', firstName: 'Ada', lastName: 'Lovelace',
        email: 'Api@Acme.com', metadata: { tier: 'enterprise', nested: { n: 1 } }, billingPlan: 'pro', status: 'pending' })
      const inserted = await store.transaction((tx) => tx.users.insert(a, fields))
      assert.deepEqual(inserted, { ...fields, tenantId: a, tenantName: 'Acme', number: 1, suspendedReason: null, updatedAt: null, version: 1 })
      assert.deepEqual(await store.read((r) => r.users.findById(a, fields.id)), inserted)
      assert.deepEqual(await store.read((r) => r.users.findByExternalId(a, 'cust_1')), inserted)
    })

    it('returns null for an unknown id or external id', async () => {
      await insert(a, { externalId: 'x' })
      assert.equal(await store.read((r) => r.users.findById(a, newId<UserId>())), null)
      assert.equal(await store.read((r) => r.users.findByExternalId(a, 'nope')), null)
      assert.equal(await store.transaction((tx) => tx.users.update(a, newId<UserId>(), { name: 'N', updatedAt: 'now' })), null)
      assert.equal(await store.transaction((tx) => tx.users.delete(a, newId<UserId>())), false)
    })

    it('numbers users 1, 2, 3 per tenant, independently of other tenants', async () => {
      const numbers: [string, number][] = []
      for (const tenant of [a, b, a, a, b]) numbers.push([tenant === a ? 'a' : 'b', (await insert(tenant)).number])
      assert.deepEqual(numbers, [['a', 1], ['b', 1], ['a', 2], ['a', 3], ['b', 2]])
    })

    it('never returns, updates or deletes another tenant’s user', async () => {
      const user = await insert(a, { externalId: 'shared', name: 'Original' })
      assert.equal(await store.read((r) => r.users.findById(b, user.id)), null)
      assert.equal(await store.read((r) => r.users.findByExternalId(b, 'shared')), null)
      assert.equal(await store.transaction((tx) => tx.users.update(b, user.id, { name: 'Hijacked', updatedAt: 'now' })), null)
      assert.equal(await store.transaction((tx) => tx.users.delete(b, user.id)), false)
      assert.deepEqual(await store.read((r) => r.users.findById(a, user.id)), user)
      assert.equal(await store.read((r) => r.users.count(b, {})), 0)
    })

    it('refuses a taken email, ignoring case, including non-ASCII letters, naming `email`', async () => {
      await insert(a, { email: 'Eve@Example.com' })
      await assert.rejects(insert(a, { email: 'eve@EXAMPLE.COM' }), conflict('email'))
      await insert(a, { email: 'ÉVE@x.com' })
      await assert.rejects(insert(a, { email: 'éve@x.com' }), conflict('email'))
      assert.equal(await store.read((r) => r.users.count(a, {})), 2)
    })

    it('refuses a taken external id naming `externalId`', async () => {
      await insert(a, { externalId: 'cust_1' })
      await assert.rejects(insert(a, { externalId: 'cust_1' }), conflict('externalId'))
    })

    it('allows the same email and external id in another tenant, and many users without either', async () => {
      await insert(a, { email: 'eve@x.com', externalId: 'cust_1' })
      await insert(b, { email: 'EVE@x.com', externalId: 'cust_1' })
      await insert(a)
      await insert(a)
      assert.equal(await store.read((r) => r.users.count(a, {})), 3)
    })

    it('updates only the given fields and sets updatedAt', async () => {
      const user = await insert(a, { name: 'Old', email: 'old@x.com', externalId: 'e1', metadata: { a: 1 }, billingPlan: 'free' })
      const updated = await store.transaction((tx) =>
        tx.users.update(a, user.id, { name: 'New', metadata: { b: 2 }, updatedAt: '2026-02-01T00:00:00.000Z' }))
      assert.deepEqual(updated, { ...user, name: 'New', metadata: { b: 2 }, updatedAt: '2026-02-01T00:00:00.000Z', version: 2 })
      const suspended = await store.transaction((tx) =>
        tx.users.update(a, user.id, { status: 'suspended', suspendedReason: 'unpaid', billingPlan: null, updatedAt: 'later' }))
      assert.equal(suspended?.status, 'suspended')
      assert.equal(suspended?.suspendedReason, 'unpaid')
      assert.equal(suspended?.billingPlan, null)
      assert.equal(suspended?.email, 'old@x.com')
    })

    it('keeps email uniqueness across updates: a changed email frees the old one and claims the new one', async () => {
      const eve = await insert(a, { email: 'eve@x.com', externalId: 'e1' })
      const bob = await insert(a, { email: 'bob@x.com', externalId: 'b1' })
      await assert.rejects(store.transaction((tx) => tx.users.update(a, bob.id, { email: 'EVE@x.com', updatedAt: 't' })), conflict('email'))
      await assert.rejects(store.transaction((tx) => tx.users.update(a, bob.id, { externalId: 'e1', updatedAt: 't' })), conflict('externalId'))
      await store.transaction((tx) => tx.users.update(a, eve.id, { email: 'Eve2@x.com', updatedAt: 't' }))
      await store.transaction((tx) => tx.users.update(a, bob.id, { email: 'eve@x.com', updatedAt: 't' }))
      await assert.rejects(insert(a, { email: 'eve2@X.com' }), conflict('email'))
      await store.transaction((tx) => tx.users.update(a, eve.id, { email: null, updatedAt: 't' }))
      await insert(a, { email: 'eve2@x.com' })
      assert.equal((await store.read((r) => r.users.findById(a, bob.id)))?.email, 'eve@x.com')
    })

    it('deletes a user of the tenant once', async () => {
      const user = await insert(a)
      assert.equal(await store.transaction((tx) => tx.users.delete(a, user.id)), true)
      assert.equal(await store.read((r) => r.users.findById(a, user.id)), null)
      assert.equal(await store.transaction((tx) => tx.users.delete(a, user.id)), false)
    })
  })
}
