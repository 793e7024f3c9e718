import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { newId, type AdminKeyId, type TenantId } from '../../src/core/ids.js'
import type { NewAdminKey } from '../../src/core/keys/admin-key.js'
import type { Store } from '../../src/core/ports/store.js'
import { hashSecret } from '../../src/core/secrets.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { addTenant, newKey } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

/** KeyRepository guarantees: lookup by hash, tenant-scoped listing and revocation, null for absence. */
export function keyRepositoryContract(backend: Backend) {
  describe(`${backend.name}: key repository`, () => {
    let store: Store
    let a: TenantId
    let b: TenantId
    const insert = (tenant: TenantId, key: NewAdminKey) => store.transaction((tx) => tx.keys.insert(tenant, key))
    const byHash = (secret: string) => store.read((r) => r.keys.findActiveByHash(hashSecret(secret)))

    beforeEach(async () => {
      store = await backend.store()
      a = await addTenant(store, 'Acme')
      b = await addTenant(store, 'Beta')
    })
    afterEach(() => store.close())

    it('inserts a key and finds it by the hash of its secret, without the hash', async () => {
      const fields = newKey('rsk_admin_one', { permissions: ['manage_users', 'record_usage'] })
      const inserted = await insert(a, fields)
      const expected = { id: fields.id, tenantId: a, name: fields.name, prefix: fields.prefix,
        permissions: ['manage_users', 'record_usage'], createdAt: fields.createdAt, revokedAt: null }
      assert.deepEqual(inserted, expected)
      assert.deepEqual(await byHash('rsk_admin_one'), expected)
      assert.equal('secretHash' in inserted, false)
    })

    it('returns null for a secret no key has', async () => {
      await insert(a, newKey('rsk_admin_one'))
      assert.equal(await byHash('rsk_admin_two'), null)
      assert.equal(await store.read((r) => r.keys.findActiveByHash('')), null)
    })

    it('lists only the tenant’s keys, newest first, revoked ones included', async () => {
      const first = await insert(a, newKey('k1', { createdAt: '2026-01-01T00:00:00.000Z' }))
      const second = await insert(a, newKey('k2', { createdAt: '2026-01-02T00:00:00.000Z' }))
      await insert(b, newKey('k3'))
      await store.transaction((tx) => tx.keys.revoke(a, first.id, '2026-01-03T00:00:00.000Z'))
      const keys = await store.read((r) => r.keys.list(a))
      assert.deepEqual(keys.map((k) => k.id), [second.id, first.id])
      assert.equal(keys[1]?.revokedAt, '2026-01-03T00:00:00.000Z')
      assert.deepEqual(await store.read((r) => r.keys.list(newId<TenantId>())), [])
    })

    it('revokes a key: it is no longer found by hash, and a second revoke keeps the first time', async () => {
      const key = await insert(a, newKey('k1'))
      const revoked = await store.transaction((tx) => tx.keys.revoke(a, key.id, 'first'))
      assert.deepEqual(revoked, { ...key, revokedAt: 'first' })
      assert.equal(await byHash('k1'), null)
      assert.equal((await store.transaction((tx) => tx.keys.revoke(a, key.id, 'second')))?.revokedAt, 'first')
    })

    it('never revokes another tenant’s key, and returns null for an unknown one', async () => {
      const key = await insert(a, newKey('k1'))
      assert.equal(await store.transaction((tx) => tx.keys.revoke(b, key.id, 'now')), null)
      assert.equal(await store.transaction((tx) => tx.keys.revoke(a, newId<AdminKeyId>(), 'now')), null)
      assert.deepEqual(await byHash('k1'), key)
    })
  })
}
