import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 1_000

/** One checkpoint's outcome: how many frames the WAL holds. */
export interface CheckpointResult {
  readonly frames: number
}

// Runs in its own thread with its own connection: a checkpoint writes pages to the database file and
// syncs it, which would otherwise stall the event loop inside whichever COMMIT crossed SQLite's threshold.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 0')
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); parentPort.close(); return }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ frames: result.log })
  } catch {
    parentPort.postMessage(null)
  }
})
`

/**
 * Checkpoints a WAL database from a worker thread every `everyMs`, and on request, so the writer's
 * connection need not (its `wal_autocheckpoint` is raised to a fallback). PASSIVE: it copies what no
 * reader still needs and never waits for or blocks a writer. `onResult` hears every periodic outcome.
 */
export function startCheckpointer(path: string, options: { readonly everyMs?: number; readonly onResult?: (result: CheckpointResult) => void } = {}) {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver } })
  worker.unref()
  // The worker answers messages in order: each answer settles the oldest request.
  const waiting: ((result: CheckpointResult | null) => void)[] = []
  let periodic = false
  let exited = false
  const settleAll = () => waiting.splice(0).forEach((settle) => settle(null))
  worker.on('message', (result: CheckpointResult | null) => waiting.shift()?.(result))
  worker.on('error', settleAll)
  worker.once('exit', () => {
    exited = true
    settleAll()
  })

  function checkpoint(): Promise<CheckpointResult | null> {
    if (exited) return Promise.resolve(null)
    return new Promise((resolve) => {
      waiting.push(resolve)
      worker.postMessage('checkpoint')
    })
  }

  const timer = setInterval(() => {
    if (periodic) return
    periodic = true
    void checkpoint().then((result) => {
      periodic = false
      if (result) options.onResult?.(result)
    })
  }, options.everyMs ?? CHECKPOINT_EVERY_MS)
  timer.unref()
  return {
    /** Checkpoints now, after any checkpoint under way; null if the worker failed or has ended. */
    checkpoint,
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

export type Checkpointer = ReturnType<typeof startCheckpointer>
