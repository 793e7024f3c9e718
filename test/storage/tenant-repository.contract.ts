import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { newId, type TenantId, type UserId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { AT, newUser } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

/** TenantRepository guarantees: tenants by id, owners, and the single bootstrap key hash. */
export function tenantRepositoryContract(backend: Backend) {
  describe(`${backend.name}: tenant repository`, () => {
    let store: Store

    beforeEach(async () => {
      store = await backend.store()
    })
    afterEach(() => store.close())

    it('inserts a tenant without an owner and finds it by id', async () => {
      const tenant = { id: newId<TenantId>(), name: 'Acme', ownerUserId: null, createdAt: AT }
      assert.deepEqual(await store.transaction((tx) => tx.tenants.insert(tenant)), tenant)
      assert.deepEqual(await store.read((r) => r.tenants.findById(tenant.id)), tenant)
    })

    it('lists every tenant, oldest first, ties by id', async () => {
      assert.deepEqual(await store.read((r) => r.tenants.list()), [])
      const later = { id: newId<TenantId>(), name: 'Later', ownerUserId: null, createdAt: '2026-02-01T00:00:00.000Z' }
      const [a, b] = [newId<TenantId>(), newId<TenantId>()].sort()
      const tied = [a!, b!].map((id) => ({ id, name: 'Tied', ownerUserId: null, createdAt: AT }))
      await store.transaction(async (tx) => {
        for (const tenant of [later, tied[1]!, tied[0]!]) await tx.tenants.insert(tenant)
      })
      assert.deepEqual(await store.read((r) => r.tenants.list()), [...tied, later])
    })

    it('returns null for an unknown tenant', async () => {
      assert.equal(await store.read((r) => r.tenants.findById(newId<TenantId>())), null)
    })

    it('sets and clears the owner', async () => {
      const id = newId<TenantId>()
      const owner = newUser()
      await store.transaction(async (tx) => {
        await tx.tenants.insert({ id, name: 'Acme', ownerUserId: null, createdAt: AT })
        await tx.users.insert(id, owner)
        await tx.tenants.setOwner(id, owner.id)
      })
      assert.equal((await store.read((r) => r.tenants.findById(id)))?.ownerUserId, owner.id)
      await store.transaction((tx) => tx.tenants.setOwner(id, null))
      assert.equal((await store.read((r) => r.tenants.findById(id)))?.ownerUserId, null)
    })

    it('refuses a user for a tenant that does not exist', async () => {
      await assert.rejects(store.transaction((tx) => tx.users.insert(newId<TenantId>(), newUser({ id: newId<UserId>() }))))
    })

    it('has no bootstrap key hash until one is set, and keeps only the latest', async () => {
      assert.equal(await store.read((r) => r.tenants.bootstrapKeyHash()), null)
      await store.transaction((tx) => tx.tenants.setBootstrapKeyHash('hash-1', AT))
      assert.equal(await store.read((r) => r.tenants.bootstrapKeyHash()), 'hash-1')
      await store.transaction((tx) => tx.tenants.setBootstrapKeyHash('hash-2', AT))
      assert.equal(await store.read((r) => r.tenants.bootstrapKeyHash()), 'hash-2')
    })
  })
}
