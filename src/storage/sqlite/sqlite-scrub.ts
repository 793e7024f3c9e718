import type { SqliteStore } from './sqlite-store.js'

/**
 * Rewrites the database file (VACUUM) and empties the WAL when `force` is set or a migration asked for
 * it, so bytes of secrets that were replaced or deleted stay neither in free pages nor in old WAL
 * frames. Runs as store maintenance: on the writer's connection, outside any transaction (VACUUM cannot
 * run inside one), with no read snapshot holding the WAL. Returns whether it ran; an in-memory store has
 * no file to scrub and only clears the request.
 */
export async function scrubFreedPages(store: SqliteStore, force: boolean): Promise<boolean> {
  return store.maintain((handle) => {
    const pending = (handle.prepare('select pending from secret_scrub where id = 1').get() as { pending: number } | undefined)?.pending === 1
    if (!force && !pending) return false
    if (!handle.memory) {
      handle.exec('VACUUM')
      handle.pragma('wal_checkpoint(TRUNCATE)')
    }
    if (pending) handle.prepare('update secret_scrub set pending = 0 where id = 1').run()
    return true
  })
}
