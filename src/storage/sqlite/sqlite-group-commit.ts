import type BetterSqlite3 from 'better-sqlite3'
import { StorageError } from '../../core/errors.js'

/** Most transactions one COMMIT carries; a bound on how long the first of them waits for the last. */
export const MAX_GROUP = 256

interface Job {
  /** Arrival order across reads and writes. */
  readonly seq: number
  readonly work: () => Promise<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

/** Told of each commit (numbered from 1) as it happens, and of each sync that makes commits durable. */
export interface CommitObserver {
  /** A COMMIT is about to run; nothing has been committed since the last call of `committed`. */
  committing(): void
  /** The COMMIT announced by `committing` failed: nothing was committed. */
  commitFailed(): void
  /** Commit `seq` just happened; nothing else has committed since. */
  committed(seq: number): void
  /** A sync covering every commit up to `seq` has started. */
  syncing(seq: number): void
  /** Every commit up to `seq` is durable; called before any of their callers hears back. */
  synced(seq: number): void
  /** The sync covering commits up to `seq` failed: they may not be durable. */
  syncFailed(seq: number): void
}

export interface GroupCommitOptions {
  /**
   * Makes every commit so far durable, off the event loop (an fsync of the WAL). Null when COMMIT itself
   * is as durable as the store promises (an in-memory database, or `normal` durability).
   */
  readonly sync: (() => Promise<void>) | null
  readonly observer?: CommitObserver | undefined
  /**
   * Asked before a group starts while every commit so far is durable: a promise the group waits for
   * (reads keep running), or null to go on at once. The store uses it to let the WAL start over.
   */
  readonly beforeGroup?: (() => Promise<void> | null) | undefined
}

/**
 * Runs a store's reads and transactions over its one connection. Transactions that arrive together share
 * one SQLite transaction: each runs alone, in arrival order, inside its own SAVEPOINT, so a failing one
 * rolls back alone while the others commit. Each caller hears back only after the shared COMMIT and, with
 * a `sync`, only once that commit is on disk. Reads never run inside an open group, and with a `sync` they
 * wait until every commit they could see is on disk: nothing is shown before it is durable.
 */
export function createGroupCommit(handle: BetterSqlite3.Database, options: GroupCommitOptions) {
  const statements = {
    begin: handle.prepare('BEGIN IMMEDIATE'),
    commit: handle.prepare('COMMIT'),
    rollback: handle.prepare('ROLLBACK'),
    savepoint: handle.prepare('SAVEPOINT roster_write'),
    release: handle.prepare('RELEASE roster_write'),
    rollbackTo: handle.prepare('ROLLBACK TO roster_write'),
  }
  const reads: Job[] = []
  const writes: Job[] = []
  let arrivals = 0
  let busy = false
  let scheduled = false
  let committed = 0
  let synced = 0
  let syncing = false
  let unsynced: { job: Job; value: unknown }[] = []
  let idle: (() => void)[] = []

  function enqueue<T>(queue: Job[], work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ seq: ++arrivals, work, resolve: resolve as (value: unknown) => void, reject })
      schedule()
    })
  }

  // Writes wait for setImmediate, not a microtask, so transactions arriving in the same turn of I/O join
  // one group; reads with no write ahead of them need no such wait.
  function schedule(): void {
    if (scheduled || busy) return
    scheduled = true
    const run = () => {
      scheduled = false
      pump()
    }
    if (writes.length === 0) queueMicrotask(run)
    else setImmediate(run)
  }

  function pump(): void {
    if (busy) return
    const [read, write] = [reads[0], writes[0]]
    if (read && (!write || read.seq < write.seq)) {
      // A read sees every write that arrived before it, and only once that write is durable; writes
      // queued behind it wait, so a stream of writes cannot keep it waiting for ever.
      if (synced === committed) {
        busy = true
        void runReads(write?.seq ?? Infinity)
      }
    } else if (write && (!syncing || writes.length >= MAX_GROUP)) {
      // While a sync is under way, writes gather for it to finish: one bigger group costs less than several small ones.
      busy = true
      void runGroup()
    } else if (!write && !syncing && unsynced.length === 0) {
      const waiting = idle
      idle = []
      waiting.forEach((resolve) => resolve())
    }
  }

  /** Runs the reads that arrived before the write numbered `before`, in order. */
  async function runReads(before: number): Promise<void> {
    while (reads[0] && reads[0].seq < before) {
      const job = reads.shift()!
      try {
        job.resolve(await job.work())
      } catch (error) {
        job.reject(error)
      }
    }
    busy = false
    pump()
  }

  async function runGroup(): Promise<void> {
    if (options.beforeGroup && !syncing && unsynced.length === 0) {
      const pause = options.beforeGroup()
      if (pause) await pause.catch(() => {})
    }
    const group = writes.splice(0, MAX_GROUP)
    // A transaction alone needs no savepoint: if it fails, the whole transaction rolls back.
    const alone = group.length === 1
    let done: { job: Job; value: unknown }[] = []
    for (const job of group) {
      try {
        if (!handle.inTransaction) statements.begin.run()
        if (!alone) statements.savepoint.run()
      } catch (error) {
        job.reject(new StorageError('Could not start a transaction', { cause: error }))
        continue
      }
      try {
        const value = await job.work()
        if (!alone) statements.release.run()
        done.push({ job, value })
      } catch (error) {
        if (!handle.inTransaction) {
          // SQLite ended the whole transaction (a full disk, an I/O error): the group's earlier work is gone too.
          for (const earlier of done) earlier.job.reject(new StorageError('The transaction was rolled back', { cause: error }))
          done = []
        } else if (alone) {
          statements.rollback.run()
        } else {
          statements.rollbackTo.run()
          statements.release.run()
        }
        job.reject(error)
      }
    }
    if (handle.inTransaction) {
      try {
        if (done.length === 0) {
          statements.rollback.run()
        } else {
          options.observer?.committing()
          statements.commit.run()
        }
      } catch (error) {
        if (handle.inTransaction) statements.rollback.run()
        options.observer?.commitFailed()
        for (const { job } of done) job.reject(new StorageError('Commit failed', { cause: error }))
        done = []
      }
    }
    if (done.length > 0) {
      committed++
      options.observer?.committed(committed)
      if (options.sync) {
        unsynced.push(...done)
        startSync()
      } else {
        synced = committed
        for (const { job, value } of done) job.resolve(value)
      }
    }
    busy = false
    pump()
  }

  function startSync(): void {
    const sync = options.sync
    if (syncing || unsynced.length === 0 || !sync) return
    syncing = true
    const upTo = committed
    const waiting = unsynced
    unsynced = []
    options.observer?.syncing(upTo)
    sync().then(
      () => {
        options.observer?.synced(upTo)
        waiting.forEach(({ job, value }) => job.resolve(value))
      },
      (error: unknown) => {
        options.observer?.syncFailed(upTo)
        waiting.forEach(({ job }) => job.reject(new StorageError('Could not sync the database to disk', { cause: error })))
      },
    ).finally(() => {
      synced = upTo
      syncing = false
      startSync()
      pump()
    })
  }

  return {
    read: <T>(work: () => Promise<T>): Promise<T> => enqueue(reads, work),
    write: <T>(work: () => Promise<T>): Promise<T> => enqueue(writes, work),
    /** Resolves once everything queued so far has finished and is durable. */
    drain(): Promise<void> {
      return new Promise<void>((resolve) => {
        idle.push(resolve)
        schedule()
      })
    },
  }
}

export type GroupCommit = ReturnType<typeof createGroupCommit>
