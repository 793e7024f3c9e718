import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { createGroupCommit } from '../../src/storage/sqlite/sqlite-group-commit.js'
import { tempDbPath } from '../helpers/temp-db.js'

/** A sync the test releases by hand, counting how often it was asked for. */
function manualSync() {
  const pending: (() => void)[] = []
  return {
    calls: 0,
    sync(): Promise<void> {
      this.calls++
      return new Promise<void>((resolve) => pending.push(resolve))
    },
    release(): void {
      pending.splice(0).forEach((resolve) => resolve())
    },
    get waiting(): number {
      return pending.length
    },
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

function openTable(path = ':memory:') {
  const handle = new Database(path)
  handle.pragma('journal_mode = WAL')
  handle.exec('create table t (id integer primary key, v text unique)')
  return handle
}

describe('group commit', () => {
  it('commits transactions that arrive together once, each in a savepoint: a failing one rolls back alone', async () => {
    const handle = openTable()
    let syncs = 0
    // One sync per commit: counting them counts the commits.
    const group = createGroupCommit(handle, { sync: async () => void syncs++ })
    const insert = handle.prepare('insert into t (v) values (?)')
    const results = await Promise.allSettled(['a', 'b', 'a', 'c'].map((v, i) => group.write(async () => {
      insert.run(v)
      insert.run(`${v}-second-${i}`)
      return v
    })))
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    assert.equal(syncs, 1)
    // The failing transaction's first insert was rolled back with it; its neighbours kept both of theirs.
    assert.deepEqual(handle.prepare('select v from t order by id').pluck().all(), ['a', 'a-second-0', 'b', 'b-second-1', 'c', 'c-second-3'])
    assert.equal(handle.inTransaction, false)
    await group.drain()
    handle.close()
  })

  it('answers a transaction only once its commit is synced, and shows its writes to reads only then', async () => {
    const handle = openTable()
    const sync = manualSync()
    const group = createGroupCommit(handle, { sync: () => sync.sync() })
    const insert = handle.prepare('insert into t (v) values (?)')
    const count = handle.prepare('select count(*) from t').pluck()
    let answered = false
    const write = group.write(async () => insert.run('x')).then(() => (answered = true))
    let seen: unknown = null
    const read = group.read(async () => (seen = count.get()))
    while (sync.waiting === 0) await tick()
    // Committed (the row is in the table) but not yet on disk: neither the writer nor a reader hears of it.
    assert.equal(count.get(), 1)
    for (let i = 0; i < 5; i++) await tick()
    assert.deepEqual([answered, seen], [false, null])
    sync.release()
    await Promise.all([write, read])
    assert.deepEqual([answered, seen], [true, 1])
    await group.drain()
    handle.close()
  })

  it('asks beforeGroup only once every commit is durable, and starts the group when its promise settles', async () => {
    const handle = openTable()
    const sync = manualSync()
    const asked: number[] = []
    let letGo: () => void = () => {}
    const group = createGroupCommit(handle, {
      sync: () => sync.sync(),
      beforeGroup: () => {
        asked.push(sync.waiting)
        return asked.length === 2 ? new Promise<void>((resolve) => (letGo = resolve)) : null
      },
    })
    const insert = handle.prepare('insert into t (v) values (?)')
    const count = () => handle.prepare('select count(*) from t').pluck().get() as number
    const first = group.write(async () => insert.run('a'))
    while (sync.waiting === 0) await tick()
    // Arrives during the sync: its group starts after the sync, when nothing is left undurable.
    const second = group.write(async () => insert.run('b'))
    for (let i = 0; i < 5; i++) await tick()
    assert.deepEqual(asked, [0])
    sync.release()
    await first
    while (asked.length < 2) await tick()
    assert.deepEqual(asked, [0, 0])
    // Held by beforeGroup's promise: the write has not run.
    for (let i = 0; i < 5; i++) await tick()
    assert.equal(count(), 1)
    letGo()
    while (sync.waiting === 0) await tick()
    assert.equal(count(), 2)
    sync.release()
    await second
    await group.drain()
  })

  it('gathers writes that arrive during a sync into one group, so 64 concurrent writes need a few syncs', async () => {
    const path = tempDbPath()
    const handle = openTable(path)
    const sync = manualSync()
    const group = createGroupCommit(handle, { sync: () => sync.sync() })
    const insert = handle.prepare('insert into t (v) values (?)')
    const writes = [group.write(async () => insert.run('first'))]
    while (sync.waiting === 0) await tick()
    for (let i = 0; i < 64; i++) writes.push(group.write(async () => insert.run(`v${i}`)))
    for (let i = 0; i < 5; i++) await tick()
    sync.release()
    while (sync.waiting === 0) await tick()
    sync.release()
    await Promise.all(writes)
    assert.equal(sync.calls, 2)
    // Every answered write is committed: another connection sees all of them.
    const other = new Database(path, { readonly: true })
    assert.equal(other.prepare('select count(*) from t').pluck().get(), 65)
    other.close()
    await group.drain()
    handle.close()
  })

  it('rejects every transaction of a group whose commit fails, and recovers for the next', async () => {
    const handle = openTable()
    const group = createGroupCommit(handle, { sync: null })
    handle.exec('create table parent (id integer primary key); create table child (p integer references parent(id) deferrable initially deferred)')
    handle.pragma('foreign_keys = ON')
    const child = handle.prepare('insert into child (p) values (?)')
    const insert = handle.prepare('insert into t (v) values (?)')
    // A deferred foreign key fails at COMMIT, taking the whole group with it.
    const results = await Promise.allSettled([group.write(async () => insert.run('kept?')), group.write(async () => child.run(42))])
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected'])
    assert.equal(handle.prepare('select count(*) from t').pluck().get(), 0)
    await group.write(async () => insert.run('later'))
    assert.equal(handle.prepare('select count(*) from t').pluck().get(), 1)
    await group.drain()
    handle.close()
  })
})
