import { closeSync, fdatasync, openSync, realpathSync } from 'node:fs'

/**
 * Syncs a WAL-mode database's write-ahead log to disk from libuv's thread pool. With `synchronous=NORMAL`,
 * SQLite's COMMIT writes the log without syncing it; syncing it afterwards is exactly what
 * `synchronous=FULL` adds to every commit (SQLite syncs the log with fdatasync too), but here the event loop
 * keeps serving while the disk works, and one sync covers every commit made before it. A plain descriptor
 * and callback: a FileHandle's promise cost 30-40 µs more per sync.
 */
export function createWalSync(databasePath: string) {
  // SQLite puts the log beside the file a symbolic link points to.
  const walPath = `${realpathSync(databasePath)}-wal`
  // Opened on first use: the log exists once anything has been committed. SQLite keeps the same file
  // (it truncates, never deletes it) for as long as this store's connection is open.
  let fd: number | null = null
  const forget = (failed: number) => {
    if (fd !== failed) return
    fd = null
    try {
      closeSync(failed)
    } catch {
      // Already unusable: the next sync opens the log again.
    }
  }
  return {
    sync(): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        let current: number
        try {
          current = fd ??= openSync(walPath, 'r+')
        } catch (error) {
          reject(error)
          return
        }
        fdatasync(current, (error) => {
          if (!error) return resolve()
          forget(current)
          reject(error)
        })
      })
    },
    /** Closes the log's descriptor; call once no sync is in flight (the group commit has drained). */
    async close(): Promise<void> {
      if (fd !== null) forget(fd)
    },
  }
}
