import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import type { AuditEntry, AuditQuery } from '../../src/core/audit/audit-entry.js'
import { newAuditId } from '../../src/core/audit/audit-id.js'
import type { TenantId } from '../../src/core/ids.js'
import { MIGRATIONS } from '../../src/storage/migration-list.js'
import { prepareAuditIndexing } from '../../src/storage/sqlite/sqlite-audit-index.js'
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { addTenant } from '../helpers/store-fixtures.js'
import { tempDbPath } from '../helpers/temp-db.js'

// On SQLite the audit log is appended unindexed and indexed in batches (migration 050): every list and
// prune must see exactly the same entries whether they sit in the index tables, in the tail, or both.

const minute = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString()

function entry(tenantId: TenantId, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: newAuditId(), tenantId, at, actor: 'host', actorType: 'host', surface: 'library', requestId: null,
    action: 'user.updated', targetType: 'user', targetId: 'u-1', fields: ['name'], before: { name: 'A' }, after: { name: 'B' },
    ...overrides,
  }
}

async function append(store: SqliteStore, entries: readonly AuditEntry[]) {
  await store.transaction(async (tx) => {
    for (const e of entries) await tx.audit.append(e)
  })
}

/** Indexes the tail now, in a transaction of the store's writer, as the store's own timer would. */
async function indexTail(store: SqliteStore) {
  const indexing = prepareAuditIndexing(store.handle)
  await store.transaction(async () => indexing.index())
}

const tail = (store: SqliteStore) =>
  store.handle.prepare('select count(*) from audit_entries where seq > (select seq from audit_index_mark)').pluck().get() as number

async function everyPage(store: SqliteStore, tenant: TenantId, query: Omit<AuditQuery, 'limit' | 'after'>, limit: number) {
  const seen: string[] = []
  let after: { at: string; id: string } | undefined
  for (;;) {
    const page = await store.read((r) => r.audit.list(tenant, { ...query, limit, after }))
    seen.push(...page.map((e) => e.id))
    if (page.length < limit) return seen
    after = page[page.length - 1]
  }
}

describe('the SQLite audit log, indexed in batches', () => {
  it('lists and pages the same entries across the indexed part and the tail, with every filter', async () => {
    const store = await openSqliteStore({ path: ':memory:' })
    try {
      const tenant = await addTenant(store)
      const other = await addTenant(store, 'Other')
      // Interleaved times: the tail holds entries older than some indexed ones.
      const first = Array.from({ length: 12 }, (_, i) => entry(tenant, minute(2 * i), { targetId: `u-${i % 3}`, actor: i % 2 ? 'key-a' : 'key-b' }))
      const second = Array.from({ length: 12 }, (_, i) => entry(tenant, minute(2 * i + 1), { targetId: `u-${i % 3}`, actor: i % 2 ? 'key-a' : 'key-b' }))
      await append(store, [...first, entry(other, minute(5), { targetId: 'u-1' })])
      await indexTail(store)
      assert.equal(tail(store), 0)
      await append(store, [...second, entry(other, minute(6), { targetId: 'u-1' })])
      assert.equal(tail(store), 13, 'the second batch waits in the tail')
      const all = [...first, ...second].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1))
      const expect = (keep: (e: AuditEntry) => boolean) => all.filter(keep).map((e) => e.id)
      const queries: [Omit<AuditQuery, 'limit' | 'after'>, (e: AuditEntry) => boolean][] = [
        [{}, () => true],
        [{ target: 'u-1' }, (e) => e.targetId === 'u-1'],
        [{ actor: 'key-a' }, (e) => e.actor === 'key-a'],
        [{ target: 'u-2', actor: 'key-b' }, (e) => e.targetId === 'u-2' && e.actor === 'key-b'],
        [{ from: minute(5), to: minute(17) }, (e) => e.at >= minute(5) && e.at < minute(17)],
        [{ target: 'u-0', from: minute(3) }, (e) => e.targetId === 'u-0' && e.at >= minute(3)],
      ]
      for (const [query, keep] of queries) {
        for (const limit of [1, 3, 50]) {
          assert.deepEqual(await everyPage(store, tenant, query, limit), expect(keep), `${JSON.stringify(query)} by ${limit}`)
        }
      }
      await indexTail(store)
      assert.equal(tail(store), 0)
      for (const [query, keep] of queries) assert.deepEqual(await everyPage(store, tenant, query, 4), expect(keep), `${JSON.stringify(query)} indexed`)
      assert.deepEqual((await store.read((r) => r.audit.list(other, { limit: 10 }))).map((e) => e.at), [minute(6), minute(5)])
    } finally {
      await store.close()
    }
  })

  it('prunes entries in the tail, and an entry appended after pruning the newest is still listed and indexed', async () => {
    const store = await openSqliteStore({ path: ':memory:' })
    try {
      const tenant = await addTenant(store)
      await append(store, Array.from({ length: 10 }, (_, i) => entry(tenant, minute(i), { targetId: `u-${i % 2}` })))
      // Every entry, the newest of the whole log included, is older than the cut-off.
      assert.equal(await store.transaction((tx) => tx.audit.prune(tenant, minute(30), 100)), 10)
      assert.deepEqual(await store.read((r) => r.audit.list(tenant, { limit: 10 })), [])
      assert.deepEqual(await store.read((r) => r.audit.list(tenant, { limit: 10, target: 'u-1' })), [])
      const counts = store.handle.prepare(`select (select count(*) from audit_entries) + (select count(*) from audit_entries_by_time)
        + (select count(*) from audit_entries_by_target)`).pluck()
      assert.equal(counts.get(), 0, 'nothing of the pruned entries is left in the index tables')
      const later = entry(tenant, minute(40), { targetId: 'u-1' })
      await append(store, [later])
      assert.deepEqual((await store.read((r) => r.audit.list(tenant, { limit: 10, target: 'u-1' }))).map((e) => e.id), [later.id])
      await indexTail(store)
      assert.deepEqual((await store.read((r) => r.audit.list(tenant, { limit: 10, target: 'u-1' }))).map((e) => e.id), [later.id])
      assert.equal(counts.get(), 3)
    } finally {
      await store.close()
    }
  })

  it('indexes the tail on its own, and before the store closes', async () => {
    const path = tempDbPath()
    let store = await openSqliteStore({ path })
    const tenant = await addTenant(store)
    await append(store, [entry(tenant, minute(1)), entry(tenant, minute(2))])
    assert.equal(tail(store), 2)
    const deadline = Date.now() + 5_000
    while (tail(store) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(tail(store), 0, 'the store indexed the tail within its second')
    await append(store, [entry(tenant, minute(3))])
    await store.close()
    store = await openSqliteStore({ path })
    try {
      assert.equal(tail(store), 0, 'closing indexed the last entry')
      assert.deepEqual((await store.read((r) => r.audit.list(tenant, { limit: 10 }))).map((e) => e.at), [minute(3), minute(2), minute(1)])
    } finally {
      await store.close()
    }
  })


  it('indexes a long tail in slices, a batch each, until none is left, and lists it whole meanwhile', async () => {
    const store = await openSqliteStore({ path: ':memory:' })
    try {
      const tenant = await addTenant(store)
      const entries = Array.from({ length: 3_000 }, (_, i) => entry(tenant, minute(i), { targetId: `u-${i % 7}` }))
      await append(store, entries)
      // The store starts indexing by itself; inside one transaction of the writer nothing else runs.
      const indexing = prepareAuditIndexing(store.handle)
      const [before, after] = await store.transaction(async () => [tail(store), (indexing.index(), tail(store))])
      assert.ok(before! > 500, `tail before: ${before}`)
      assert.equal(before! - after!, 500, 'one batch indexes one slice')
      assert.equal((await everyPage(store, tenant, {}, 250)).length, entries.length)
      const deadline = Date.now() + 5_000
      while (tail(store) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      assert.equal(tail(store), 0, 'the store went on batch after batch')
      assert.deepEqual(new Set(await everyPage(store, tenant, { target: 'u-3' }, 50)), new Set(entries.filter((e) => e.targetId === 'u-3').map((e) => e.id)))
    } finally {
      await store.close()
    }
  })

  it('reads the tail by seeking to it, even after a reopen when the log was small', async () => {
    const path = tempDbPath()
    let store = await openSqliteStore({ path })
    const tenant = await addTenant(store)
    await append(store, [entry(tenant, minute(1))])
    await store.close()
    // Reopening analyzes the tables; a count of one entry would plan the tail as a scan of the whole log.
    store = await openSqliteStore({ path })
    try {
      assert.ok(Number(store.handle.prepare("select stat from sqlite_stat1 where tbl = 'audit_entries'").pluck().get()) >= 10)
      assert.ok((store.handle.prepare("select count(*) from sqlite_stat1 where tbl = 'tenants'").pluck().get() as number) > 0, 'other tables keep their statistics')
      const plan = store.handle.prepare('explain query plan select seq from audit_entries where seq > ? and seq <= ?').all(1, 2) as { detail: string }[]
      assert.match(plan.map((p) => p.detail).join(' | '), /SEARCH audit_entries USING INTEGER PRIMARY KEY/)
    } finally {
      await store.close()
    }
  })

  it('carries entries written before migration 050 into the log and both index tables', async () => {
    const path = tempDbPath()
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(path) }) })
    const migrator = new Migrator({
      db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
      migrationTableName: 'roster_migration', migrationLockTableName: 'roster_migration_lock',
    })
    assert.equal((await migrator.migrateTo('2026_11_27_040_create_idempotency_keys')).error, undefined)
    const tenant = 't-1' as TenantId
    const old = [entry(tenant, minute(2), { targetId: 'u-1' }), entry(tenant, minute(1), { targetId: 'u-2' }), entry(tenant, minute(3), { targetId: 'u-1' })]
    for (const e of old) {
      await db.insertInto('audit_entries').values({
        tenant_id: e.tenantId, at: e.at, id: e.id, actor: e.actor, actor_type: e.actorType, surface: e.surface, request_id: e.requestId,
        action: e.action, target_type: e.targetType, target_id: e.targetId, changes: JSON.stringify({ fields: e.fields, before: e.before, after: e.after }),
      }).execute()
    }
    await db.destroy()
    const store = await openSqliteStore({ path })
    try {
      assert.equal(tail(store), 0)
      assert.deepEqual(await store.read((r) => r.audit.list(tenant, { limit: 10 })), [old[2], old[0], old[1]])
      assert.deepEqual((await store.read((r) => r.audit.list(tenant, { limit: 10, target: 'u-1' }))).map((e) => e.at), [minute(3), minute(2)])
      const next = entry(tenant, minute(4))
      await append(store, [next])
      assert.equal((await store.read((r) => r.audit.list(tenant, { limit: 1 })))[0]?.id, next.id)
    } finally {
      await store.close()
    }
  })
})
