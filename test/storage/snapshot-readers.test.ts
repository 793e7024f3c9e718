import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import type { Repositories } from '../../src/core/ports/store.js'
import { createGroupCommit } from '../../src/storage/sqlite/sqlite-group-commit.js'
import { createSnapshotReaders } from '../../src/storage/sqlite/sqlite-snapshot-readers.js'
import { tempDbPath } from '../helpers/temp-db.js'

const tick = () => new Promise((resolve) => setImmediate(resolve))

/** A writer with a hand-released sync, snapshot readers whose "repositories" count the rows of `t`. */
function setup() {
  const path = tempDbPath()
  const handle = new Database(path)
  handle.pragma('journal_mode = WAL')
  handle.pragma('synchronous = NORMAL')
  handle.exec('create table t (v text)')
  const pending: (() => void)[] = []
  const readers = createSnapshotReaders(path, (reader) => {
    const count = reader.prepare('select count(*) from t').pluck()
    return { count: () => count.get() as number } as unknown as Repositories
  })
  const group = createGroupCommit(handle, { sync: () => new Promise<void>((resolve) => pending.push(resolve)), observer: readers.observer })
  const insert = handle.prepare('insert into t (v) values (?)')
  const rows = () => readers.read(async (r) => (r as unknown as { count(): number }).count())
  const release = () => pending.splice(0).forEach((resolve) => resolve())
  const close = async () => {
    release()
    await group.drain()
    await readers.close()
    handle.close()
  }
  return { path, handle, group, insert, rows, release, pending, close }
}

describe('snapshot readers', () => {
  it('answer at once from the last durable state while a commit waits for its sync, then show it', async () => {
    const s = setup()
    await Promise.all([s.group.write(async () => s.insert.run('a')), (async () => { while (s.pending.length === 0) await tick(); s.release() })()])
    const write = s.group.write(async () => s.insert.run('b'))
    while (s.pending.length === 0) await tick()
    // Committed, not yet synced: a read neither waits nor sees it.
    assert.equal(await s.rows(), 1)
    let answered = false
    void write.then(() => (answered = true))
    await tick()
    assert.equal(answered, false)
    s.release()
    await write
    assert.equal(await s.rows(), 2)
    await s.close()
  })

  it('publish each commit made during a sync only once its own sync is done', async () => {
    const s = setup()
    const first = s.group.write(async () => s.insert.run('a'))
    while (s.pending.length === 0) await tick()
    // 256 writes arrive during the first sync: enough to start a group without waiting for it.
    const later = Array.from({ length: 256 }, (_, i) => s.group.write(async () => s.insert.run(`v${i}`)))
    while (s.handle.prepare('select count(*) from t').pluck().get() as number < 257) await tick()
    assert.equal(await s.rows(), 0)
    s.release()
    await first
    assert.equal(await s.rows(), 1)
    while (s.pending.length === 0) await tick()
    s.release()
    await Promise.all(later)
    assert.equal(await s.rows(), 257)
    await s.close()
  })

  it('hold nothing past the turn once every commit is synced: another process’s writes show, and the WAL can be reset', async () => {
    const s = setup()
    const write = s.group.write(async () => s.insert.run('a'))
    while (s.pending.length === 0) await tick()
    s.release()
    await write
    const other = new Database(s.path)
    other.prepare('insert into t (v) values (?)').run('from elsewhere')
    assert.equal(await s.rows(), 2)
    // Reads that start in the same turn share its snapshot; once the turn ends, nothing is held.
    await new Promise((resolve) => setImmediate(resolve))
    const [checkpoint] = other.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
    assert.equal(checkpoint?.busy, 0)
    other.close()
    await s.close()
  })

  it('share one read transaction among the reads of one turn; the next turn sees what others committed', async () => {
    const s = setup()
    const other = new Database(s.path)
    const first = await s.rows()
    other.prepare('insert into t (v) values (?)').run('elsewhere')
    assert.equal(await s.rows(), first)
    await tick()
    assert.equal(await s.rows(), first + 1)
    other.close()
    await s.close()
  })
})
