import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 1_000

// Runs in its own thread with its own connection: a checkpoint writes pages to the database file and
// syncs it, which would otherwise stall the event loop inside whichever COMMIT crossed SQLite's threshold.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 0')
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); parentPort.close(); return }
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
  parentPort.postMessage('done')
})
`

/**
 * Checkpoints a WAL database from a worker thread every second, so the writer's connection need not (its
 * `wal_autocheckpoint` is raised to a fallback). PASSIVE: it copies what no reader still needs and never
 * waits for or blocks a writer; SQLite restarts the WAL on a later write once everything is copied.
 */
export function startCheckpointer(path: string) {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver } })
  worker.unref()
  let busy = false
  let exited = false
  worker.on('message', () => (busy = false))
  worker.on('error', () => (busy = false))
  worker.once('exit', () => (exited = true))
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    worker.postMessage('checkpoint')
  }, CHECKPOINT_EVERY_MS)
  timer.unref()
  return {
    async close(): Promise<void> {
      clearInterval(timer)
      // A worker that already ended (it failed to start, say) will send no 'exit' to wait for.
      if (exited) return
      // Held by the event loop again until it has closed its connection, or close() would never resolve;
      // the fallback timer is held too, so a worker that never answers cannot leave close() pending.
      worker.ref()
      worker.postMessage('close')
      await new Promise<void>((resolve) => {
        const fallback = setTimeout(() => void worker.terminate().then(() => resolve()), 1_000)
        worker.once('exit', () => {
          clearTimeout(fallback)
          resolve()
        })
      })
    },
  }
}
