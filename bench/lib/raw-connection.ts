import Database from 'better-sqlite3'
import type { BenchOptions } from '../bench-types.js'

/**
 * A second better-sqlite3 connection on roster's file, with the pragmas roster's SQLite store sets
 * (WAL, foreign keys, busy timeout, the same synchronous level), so the baseline differs from
 * roster only in the code between the caller and SQLite.
 */
export function openRawConnection(path: string, durability: BenchOptions['durability']): Database.Database {
  const handle = new Database(path)
  handle.pragma('journal_mode = WAL')
  handle.pragma(`synchronous = ${durability === 'normal' ? 'NORMAL' : 'FULL'}`)
  handle.pragma('foreign_keys = ON')
  handle.pragma('busy_timeout = 5000')
  return handle
}

/** BEGIN IMMEDIATE … COMMIT around `work`, as roster's store runs every mutation; ROLLBACK on a throw. */
export function rawTransaction(handle: Database.Database): <T>(work: () => T) => T {
  const begin = handle.prepare('BEGIN IMMEDIATE')
  const commit = handle.prepare('COMMIT')
  const rollback = handle.prepare('ROLLBACK')
  return (work) => {
    begin.run()
    try {
      const result = work()
      commit.run()
      return result
    } catch (error) {
      if (handle.inTransaction) rollback.run()
      throw error
    }
  }
}
