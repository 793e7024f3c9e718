import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { CredentialId, NewCredential } from '../../src/core/credentials/credential.js'
import { newId, type TenantId, type UserId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import { hashSecret } from '../../src/core/secrets.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { addTenant, AT, newUser } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

/** CredentialRepository guarantees: tenant scoping, lookup by hash with user and tenant, revocation, derived last use. */
export function credentialRepositoryContract(backend: Backend) {
  describe(`${backend.name}: credential repository`, () => {
    let store: Store
    let a: TenantId
    let b: TenantId
    let user: UserId
    let seq = 0
    const newCredential = (userId: UserId, overrides: Partial<NewCredential> = {}): NewCredential => ({
      id: newId<CredentialId>(), userId, name: `Key ${++seq}`, secretHash: hashSecret(`secret-${seq}-${Math.random()}`),
      prefix: 'rsk_live_abcd', createdAt: `2026-01-26T12:00:${String(seq % 60).padStart(2, '0')}.000Z`, expiresAt: null, createdByKeyId: null, ...overrides,
    })
    const insert = (tenant: TenantId, credential: NewCredential) => store.transaction((tx) => tx.credentials.insert(tenant, credential))

    beforeEach(async () => {
      store = await backend.store()
      a = await addTenant(store, 'Acme')
      b = await addTenant(store, 'Beta')
      user = (await store.transaction((tx) => tx.users.insert(a, newUser({ name: 'Ada' })))).id
    })
    afterEach(() => store.close())

    it('finds a credential by its hash with its user and tenant, revoked or not', async () => {
      const fields = newCredential(user, { expiresAt: '2027-01-01T00:00:00.000Z' })
      const inserted = await insert(a, fields)
      assert.deepEqual(inserted, { id: fields.id, tenantId: a, userId: user, name: fields.name, prefix: fields.prefix,
        createdAt: fields.createdAt, lastUsedAt: null, expiresAt: fields.expiresAt, revokedAt: null })
      const match = await store.read((r) => r.credentials.findByHash(fields.secretHash))
      assert.deepEqual(match?.credential, inserted)
      assert.deepEqual([match?.user?.id, match?.user?.name, match?.tenant.id, match?.tenant.name], [user, 'Ada', a, 'Acme'])
      await store.transaction((tx) => tx.credentials.revoke(a, fields.id, AT))
      assert.equal((await store.read((r) => r.credentials.findByHash(fields.secretHash)))?.credential.revokedAt, AT)
      assert.equal(await store.read((r) => r.credentials.findByHash(hashSecret('unknown'))), null)
    })

    it('still finds a credential whose user row is gone, with user null', async () => {
      const fields = newCredential(user)
      await insert(a, fields)
      await store.transaction((tx) => tx.users.delete(a, user))
      const match = await store.read((r) => r.credentials.findByHash(fields.secretHash))
      assert.deepEqual([match?.credential.id, match?.user], [fields.id, null])
    })

    it('never reads, lists or revokes another tenant’s credential', async () => {
      const fields = newCredential(user)
      await insert(a, fields)
      assert.equal(await store.read((r) => r.credentials.findById(b, fields.id)), null)
      assert.deepEqual(await store.read((r) => r.credentials.listForUser(b, user)), [])
      assert.equal(await store.transaction((tx) => tx.credentials.revoke(b, fields.id, AT)), null)
      await store.transaction((tx) => tx.credentials.revokeAllForUser(b, user, AT))
      assert.equal((await store.read((r) => r.credentials.findById(a, fields.id)))?.revokedAt, null)
    })

    it('lists a user’s credentials newest first; revocation keeps its first time; revokeAllForUser touches only that user', async () => {
      const [first, second] = [newCredential(user), newCredential(user)]
      await insert(a, first)
      await insert(a, second)
      const other = (await store.transaction((tx) => tx.users.insert(a, newUser()))).id
      const theirs = newCredential(other)
      await insert(a, theirs)
      assert.deepEqual((await store.read((r) => r.credentials.listForUser(a, user))).map((c) => c.id), [second.id, first.id])
      await store.transaction((tx) => tx.credentials.revoke(a, first.id, '2026-02-01T00:00:00.000Z'))
      assert.equal((await store.transaction((tx) => tx.credentials.revoke(a, first.id, '2026-03-01T00:00:00.000Z')))?.revokedAt, '2026-02-01T00:00:00.000Z')
      await store.transaction((tx) => tx.credentials.revokeAllForUser(a, user, '2026-04-01T00:00:00.000Z'))
      const revokedAt = async (id: CredentialId) => (await store.read((r) => r.credentials.findById(a, id)))?.revokedAt
      assert.deepEqual([await revokedAt(first.id), await revokedAt(second.id), await revokedAt(theirs.id)],
        ['2026-02-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', null])
    })

    it('derives last use from the latest usage recorded against the credential', async () => {
      const fields = newCredential(user)
      await insert(a, fields)
      const add = (hour: number, usedAt: string) => store.transaction((tx) =>
        tx.usage.add([{ tenantId: a, userId: user, credentialId: fields.id, hour, requests: 1, units: 1, usedAt }]))
      await add(100, '1970-01-05T04:59:00.000Z')
      await add(99, '1970-01-05T03:10:00.000Z')
      const lastUsed = async () => [
        (await store.read((r) => r.credentials.findById(a, fields.id)))?.lastUsedAt,
        (await store.read((r) => r.credentials.listForUser(a, user)))[0]?.lastUsedAt,
        (await store.read((r) => r.credentials.findByHash(fields.secretHash)))?.credential.lastUsedAt,
      ]
      assert.deepEqual(await lastUsed(), Array(3).fill('1970-01-05T04:59:00.000Z'))
    })
  })
}
