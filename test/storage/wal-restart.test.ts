import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import type { Repositories } from '../../src/core/ports/store.js'
import { startCheckpointer } from '../../src/storage/sqlite/sqlite-checkpointer.js'
import { createGroupCommit } from '../../src/storage/sqlite/sqlite-group-commit.js'
import { createSnapshotReaders } from '../../src/storage/sqlite/sqlite-snapshot-readers.js'
import { createWalRestart } from '../../src/storage/sqlite/sqlite-wal-restart.js'
import { createWalSync } from '../../src/storage/sqlite/sqlite-wal-sync.js'
import { tempDbPath } from '../helpers/temp-db.js'

const PAGE = 4096
const RESTART_FRAMES = 200
const RUN_MS = 1_500

/**
 * The store's write path in small: group commit with a real WAL sync, snapshot readers, a checkpointer
 * every 50 ms. Writes of ~8 pages and reads run without pause for RUN_MS; returns the WAL's largest size.
 */
async function busyWal(withRestart: boolean): Promise<{ largest: number; rows: number }> {
  const path = tempDbPath()
  const handle = new Database(path)
  handle.pragma('journal_mode = WAL')
  handle.pragma('synchronous = NORMAL')
  // As the store does: the writer checkpoints itself only far past the point this test looks at.
  handle.pragma('wal_autocheckpoint = 100000')
  handle.exec('create table t (id integer primary key, v blob)')
  const walSync = createWalSync(path)
  const readers = createSnapshotReaders(path, (reader) => {
    const count = reader.prepare('select count(*) from t').pluck()
    return { count: () => count.get() as number } as unknown as Repositories
  })
  const restart = createWalRestart(RESTART_FRAMES)
  const checkpointer = startCheckpointer(path, { everyMs: 50, onResult: restart.heard })
  const group = createGroupCommit(handle, {
    sync: () => walSync.sync(), observer: readers.observer,
    beforeGroup: withRestart ? () => restart.beforeGroup(checkpointer) : undefined,
  })
  const insert = handle.prepare('insert into t (v) values (?)')
  const blob = Buffer.alloc(8 * PAGE - 200, 1)
  let largest = 0
  const deadline = performance.now() + RUN_MS
  const writer = async () => {
    while (performance.now() < deadline) {
      await group.write(async () => insert.run(blob))
      largest = Math.max(largest, statSync(`${path}-wal`).size)
    }
  }
  const reader = async () => {
    while (performance.now() < deadline) {
      await readers.read(async (r) => (r as unknown as { count(): number }).count())
      // Reads settle in microtasks: without a turn between them, no write group would ever start.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  await Promise.all([...Array.from({ length: 4 }, writer), ...Array.from({ length: 4 }, reader)])
  await group.drain()
  const rows = handle.prepare('select count(*) from t').pluck().get() as number
  await readers.close()
  await checkpointer.close()
  await walSync.close()
  handle.close()
  return { largest, rows }
}

describe('WAL restart', () => {
  it('keeps the log near its threshold under steady writes and reads, where it otherwise grows with every write', async () => {
    const restarted = await busyWal(true)
    const unbounded = await busyWal(false)
    // Both wrote far more than the threshold's worth of pages.
    for (const run of [restarted, unbounded]) assert.ok(run.rows * 8 > RESTART_FRAMES * 5, `only ${run.rows} rows written`)
    // With restarts the log stays within a few thresholds (a checkpoint period's writes land past it).
    assert.ok(restarted.largest < RESTART_FRAMES * PAGE * 10, `restarted log reached ${restarted.largest} B`)
    assert.ok(restarted.largest < unbounded.largest / 2, `restarted ${restarted.largest} B vs unbounded ${unbounded.largest} B`)
    assert.ok(unbounded.largest > unbounded.rows * 8 * PAGE * 0.9, `without restarts the log held every write: ${unbounded.largest} B`)
  })
})
