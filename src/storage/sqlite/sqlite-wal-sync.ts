import { realpathSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'

/**
 * Syncs a WAL-mode database's write-ahead log to disk from libuv's thread pool. With `synchronous=NORMAL`,
 * SQLite's COMMIT writes the log without syncing it; syncing it afterwards is exactly what
 * `synchronous=FULL` adds to every commit (SQLite syncs the log with fdatasync too), but here the event loop
 * keeps serving while the disk works, and one sync covers every commit made before it started.
 */
export function createWalSync(databasePath: string) {
  // SQLite puts the log beside the file a symbolic link points to.
  const walPath = `${realpathSync(databasePath)}-wal`
  // Opened on first use: the log exists once anything has been committed. SQLite keeps the same file
  // (it truncates, never deletes it) for as long as this store's connection is open.
  let file: Promise<FileHandle> | null = null
  return {
    async sync(): Promise<void> {
      file ??= open(walPath, 'r+')
      try {
        await (await file).datasync()
      } catch (error) {
        const failed = file
        file = null
        failed?.then((handle) => handle.close(), () => {}).catch(() => {})
        throw error
      }
    },
    async close(): Promise<void> {
      const opened = file
      file = null
      if (opened) await (await opened).close().catch(() => {})
    },
  }
}
