import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { CredentialId } from '../../src/core/credentials/credential.js'
import { newId, type TenantId, type UserId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import { createUsageMeter } from '../../src/core/usage/usage-meter.js'
import type { UsageIncrement } from '../../src/core/usage/usage.js'
import { openSqliteStore, type SqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { tempDbPath } from '../helpers/temp-db.js'

const HOUR = 493_000
const tenantId = newId<TenantId>()
const userId = newId<UserId>()
const increment = (credentialId: CredentialId, overrides: Partial<UsageIncrement> = {}): UsageIncrement => ({
  tenantId, userId, credentialId, hour: HOUR, requests: 1, units: 1, usedAt: '2026-03-15T10:00:00.000Z', ...overrides,
})

describe('usage meter (batched metering over a real SQLite file)', () => {
  let path: string
  let store: SqliteStore
  let transactions: number
  let counted: Store
  /** A second connection: it sees only what has been committed. */
  let other: Database.Database
  const rows = () => other.prepare('select credential_id, hour, requests, units, last_used_at from usage_hourly order by credential_id, hour').all()

  beforeEach(async () => {
    path = tempDbPath()
    store = await openSqliteStore({ path })
    transactions = 0
    counted = { ...store, transaction: (work) => (transactions++, store.transaction(work)) }
    other = new Database(path, { readonly: true })
  })
  afterEach(async () => {
    other.close()
    await store.close()
  })

  it('groups concurrent records into one transaction, summing increments to the same credential and hour', async () => {
    const meter = createUsageMeter(counted)
    const [a, b] = [newId<CredentialId>(), newId<CredentialId>()]
    const recorded = []
    for (let i = 0; i < 1000; i++) {
      const usedAt = `2026-03-15T10:${String(i % 60).padStart(2, '0')}:00.000Z`
      recorded.push(meter.record(increment(i % 4 === 0 ? b : a, { units: 1 + (i % 3), usedAt })))
    }
    recorded.push(meter.record(increment(a, { hour: HOUR + 1, usedAt: '2026-03-15T11:00:00.000Z' })))
    await Promise.all(recorded)
    assert.equal(transactions, 1)
    const expected = (pick: (i: number) => boolean) => {
      let [requests, units] = [0, 0]
      for (let i = 0; i < 1000; i++) if (pick(i)) [requests, units] = [requests + 1, units + 1 + (i % 3)]
      return { requests, units }
    }
    const byKey = Object.fromEntries(rows().map((r: any) => [`${r.credential_id === a ? 'a' : 'b'}:${r.hour - HOUR}`, r]))
    assert.deepEqual(Object.keys(byKey).sort(), ['a:0', 'a:1', 'b:0'])
    assert.deepEqual({ requests: byKey['a:0'].requests, units: byKey['a:0'].units }, expected((i) => i % 4 !== 0))
    assert.deepEqual({ requests: byKey['b:0'].requests, units: byKey['b:0'].units }, expected((i) => i % 4 === 0))
    // The latest use in the hour wins, whatever order the increments arrived in.
    assert.equal(byKey['a:0'].last_used_at, '2026-03-15T10:59:00.000Z')
  })

  it('resolves each record only once its batch is committed and visible to another connection', async () => {
    const meter = createUsageMeter(store)
    const credential = newId<CredentialId>()
    for (let round = 1; round <= 3; round++) {
      await meter.record(increment(credential))
      assert.deepEqual(rows().map((r: any) => r.requests), [round])
    }
  })

  it('adds to counters already on disk rather than overwriting them', async () => {
    const credential = newId<CredentialId>()
    await createUsageMeter(store).record(increment(credential, { requests: 1, units: 10 }))
    await createUsageMeter(store).record(increment(credential, { requests: 1, units: 5, usedAt: '2026-03-15T09:00:00.000Z' }))
    assert.deepEqual(rows().map((r: any) => [r.requests, r.units, r.last_used_at]), [[2, 15, '2026-03-15T10:00:00.000Z']])
  })

  it('drain commits what is pending at once; records made later go into a new batch', async () => {
    const meter = createUsageMeter(counted)
    const first = meter.record(increment(newId<CredentialId>()))
    await meter.drain()
    assert.equal(rows().length, 1)
    await first
    await meter.record(increment(newId<CredentialId>()))
    assert.deepEqual([rows().length, transactions], [2, 2])
    // Nothing pending: drain starts no empty transaction.
    await meter.drain()
    assert.equal(transactions, 2)
  })

  it('rejects every record of a batch whose transaction failed, and loses none of a later batch', async () => {
    let fail = true
    const flaky: Store = { ...store, transaction: (work) => (fail ? Promise.reject(new Error('disk full')) : store.transaction(work)) }
    const meter = createUsageMeter(flaky)
    const failed = await Promise.allSettled([meter.record(increment(newId<CredentialId>())), meter.record(increment(newId<CredentialId>()))])
    assert.deepEqual(failed.map((r) => r.status), ['rejected', 'rejected'])
    assert.equal(rows().length, 0)
    fail = false
    await meter.record(increment(newId<CredentialId>()))
    assert.equal(rows().length, 1)
  })
})
