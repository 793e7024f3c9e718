import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { ConflictError } from '../../src/core/errors.js'
import { newId, type TenantId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import { hashSecret } from '../../src/core/secrets.js'
import { migrateToLatest } from '../../src/storage/migrate.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { migrationFileNames } from '../helpers/migration-files.js'
import { addTenant, AT, newKey, newUser } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'
import type { OpenRosterOptions } from '../../src/index.js'

const MEMORY_SKIP = 'a :memory: database ends with its connection'
const SQLITE_ONLY = 'reads the SQLite file; test/postgres/postgres-store.postgres.ts checks the migrations on PostgreSQL'

/** Store guarantees: all-or-nothing transactions, no interleaving, migrations once, data that survives a reopen. */
export function storeContract(backend: Backend) {
  describe(`${backend.name}: store`, () => {
    const opened: Store[] = []
    const open = async (place?: OpenRosterOptions) => {
      const store = await backend.store(place)
      opened.push(store)
      return store
    }
    const total = (store: Store, tenant: TenantId) => store.read((r) => r.users.count(tenant, {}))
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close()
    })

    it('rolls back the first write when the second write of the transaction fails', async () => {
      const store = await open()
      const a = await addTenant(store)
      await store.transaction((tx) => tx.users.insert(a, newUser({ externalId: 'taken' })))
      const failing = store.transaction(async (tx) => {
        await tx.users.insert(a, newUser({ name: 'first write' }))
        await tx.users.insert(a, newUser({ externalId: 'taken' }))
      })
      await assert.rejects(failing, ConflictError)
      assert.equal(await total(store, a), 1)
      // The number counter rolled back with the rows: the next user is number 2.
      assert.equal((await store.transaction((tx) => tx.users.insert(a, newUser()))).number, 2)
    })

    it('rolls back writes to every repository when the work throws', async () => {
      const store = await open()
      const id = newId<TenantId>()
      await assert.rejects(store.transaction(async (tx) => {
        await tx.tenants.insert({ id, name: 'Doomed', ownerUserId: null, createdAt: AT })
        await tx.keys.insert(id, newKey('doomed-key'))
        await tx.users.insert(id, newUser())
        throw new Error('changed my mind')
      }), /changed my mind/)
      assert.equal(await store.read((r) => r.tenants.findById(id)), null)
      assert.equal(await store.read((r) => r.keys.findActiveByHash(hashSecret('doomed-key'))), null)
    })

    it('never interleaves transactions: a concurrent one commits while another rolls back', async () => {
      const store = await open()
      const a = await addTenant(store)
      let release!: () => void
      const gate = new Promise<void>((resolve) => (release = resolve))
      const doomed = store.transaction(async (tx) => {
        await tx.users.insert(a, newUser({ name: 'doomed' }))
        await gate
        throw new Error('rollback')
      })
      const kept = store.transaction((tx) => tx.users.insert(a, newUser({ name: 'kept' })))
      const seen = store.read((r) => r.users.list(a, { limit: 50, offset: 0 }))
      release()
      await assert.rejects(doomed, /rollback/)
      assert.equal((await kept).number, 1)
      // A read running beside the writes sees the data before them or after them, never the doomed write;
      // once a write has returned, every read sees it.
      assert.ok(['', 'kept'].includes((await seen).map((u) => u.name).join()))
      assert.deepEqual((await store.read((r) => r.users.list(a, { limit: 50, offset: 0 }))).map((u) => u.name), ['kept'])
    })

    it('finishes pending work before closing', async () => {
      const store = await backend.store()
      const a = await addTenant(store)
      const pending = store.transaction((tx) => tx.users.insert(a, newUser()))
      await store.close()
      assert.equal((await pending).number, 1)
    })

    it('records every migration once, and reopening an up-to-date file runs none', { skip: (!backend.persistent && MEMORY_SKIP) || (backend.engine !== 'sqlite' && SQLITE_ONLY) }, async () => {
      const path = (await backend.roster()).path!
      await (await openSqliteStore({ path })).close()
      const names = () => {
        const handle = new Database(path, { readonly: true })
        try {
          return handle.prepare('select name, timestamp from roster_migration order by name').all()
        } finally {
          handle.close()
        }
      }
      const before = names()
      assert.deepEqual(before.map((row) => (row as { name: string }).name), migrationFileNames())
      await (await openSqliteStore({ path })).close()
      assert.deepEqual(names(), before)
      const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(path) }) })
      try {
        assert.deepEqual((await migrateToLatest(db)).results, [])
      } finally {
        await db.destroy()
      }
    })

    it('finds tenants, keys and users again after close and reopen', { skip: !backend.persistent && MEMORY_SKIP }, async () => {
      const place = await backend.roster()
      const first = await backend.store(place)
      const a = await addTenant(first, 'Acme')
      const key = await first.transaction((tx) => tx.keys.insert(a, newKey('kept-key')))
      const user = await first.transaction((tx) => tx.users.insert(a, newUser({ email: 'eve@x.com', metadata: { k: [1] } })))
      await first.transaction((tx) => tx.tenants.setBootstrapKeyHash('boot-hash', AT))
      await first.close()
      const second = await open(place)
      assert.equal((await second.read((r) => r.tenants.findById(a)))?.name, 'Acme')
      assert.deepEqual(await second.read((r) => r.keys.findActiveByHash(hashSecret('kept-key'))), key)
      assert.deepEqual(await second.read((r) => r.users.findById(a, user.id)), user)
      assert.equal(await second.read((r) => r.tenants.bootstrapKeyHash()), 'boot-hash')
      // Uniqueness and numbering carry on from where the first connection left them.
      await assert.rejects(second.transaction((tx) => tx.users.insert(a, newUser({ email: 'EVE@x.com' }))), ConflictError)
      assert.equal((await second.transaction((tx) => tx.users.insert(a, newUser()))).number, 2)
    })
  })
}
