import Database from 'better-sqlite3'
import type { Repositories } from '../../core/ports/store.js'
import type { CommitObserver } from './sqlite-group-commit.js'

interface Reader {
  readonly handle: Database.Database
  readonly repos: Repositories
  readonly begin: Database.Statement
  readonly touch: Database.Statement
  readonly end: Database.Statement
  /** Reads running on it now. */
  users: number
  /** Holds the snapshot of a commit waiting for its sync. */
  pinned: boolean
}

/**
 * Read connections beside the writer, so reads neither wait for a sync nor see a commit before it is on
 * disk. While every commit is synced, a read sees the latest state. From the moment a commit is about
 * to happen until it is synced, reads share a snapshot of the last durable state, pinned just before
 * that COMMIT; a commit being synced when another follows is pinned just before that one's COMMIT and
 * published once its own sync is done. While everything is synced, the reads that start in one turn
 * of the event loop share one read transaction, ended when the turn does: nothing is held across turns
 * (the WAL can start over between groups, sqlite-wal-restart.ts), and another process's commits are seen
 * by the next turn's reads.
 */
export function createSnapshotReaders(path: string, repositoriesOf: (handle: Database.Database) => Repositories) {
  const idle: Reader[] = []
  const all: Reader[] = []
  /** Snapshots of commits waiting for their sync, by commit number. */
  const pinned = new Map<number, Reader>()
  /** The snapshot reads share while a commit awaits its sync; null while everything is synced. */
  let durable: Reader | null = null
  /**
   * While everything is synced: the latest state, shared by the reads that start in one turn of the event
   * loop (the requests that arrived together), so they pay one BEGIN and COMMIT rather than one each.
   */
  let turn: Reader | null = null
  let latest = 0
  let syncing: number | null = null
  let reading = 0
  let drained: (() => void)[] = []

  function open(): Reader {
    const handle = new Database(path)
    handle.pragma('busy_timeout = 5000')
    handle.pragma('temp_store = MEMORY')
    // As large as the writer's: a reader serves counts that walk a large part of an index.
    handle.pragma('cache_size = -65536')
    handle.pragma('query_only = ON')
    const reader: Reader = {
      handle, repos: repositoriesOf(handle), users: 0, pinned: false,
      begin: handle.prepare('BEGIN'), touch: handle.prepare('SELECT 1 FROM sqlite_schema LIMIT 1'), end: handle.prepare('COMMIT'),
    }
    all.push(reader)
    return reader
  }

  /** A reader holding a read transaction on the database as it is now. */
  function snapshot(): Reader {
    const reader = idle.pop() ?? open()
    reader.begin.run()
    // The first read starts the transaction: from here on the reader sees exactly this state.
    reader.touch.get()
    return reader
  }

  function release(reader: Reader): void {
    if (reader === durable || reader === turn || reader.users > 0 || reader.pinned) return
    reader.end.run()
    idle.push(reader)
  }

  function unpin(seq: number, reader: Reader): void {
    pinned.delete(seq)
    reader.pinned = false
    release(reader)
  }

  /** Lets go of pinned commits up to `seq` except `keep`. */
  function drop(upTo: number, keep: number | null): void {
    for (const [seq, reader] of pinned) {
      if (seq > upTo || seq === keep) continue
      unpin(seq, reader)
    }
  }

  /** The latest state for a read starting now: this turn's snapshot, opened by its first read. */
  function currentState(): Reader {
    if (turn) return turn
    const reader = snapshot()
    turn = reader
    // Let go once this turn ends: the next turn's reads see what was committed meanwhile, here or elsewhere.
    setImmediate(() => {
      if (turn !== reader) return
      turn = null
      release(reader)
    })
    return reader
  }

  const observer: CommitObserver = {
    committing() {
      // The commit being synced now gets published when its sync ends, if a newer one follows it: the state
      // just before this COMMIT is exactly its state. Pinned only now, so a lone commit costs no snapshot.
      if (syncing !== null && syncing === latest && !pinned.has(latest)) {
        const reader = snapshot()
        reader.pinned = true
        pinned.set(latest, reader)
      }
      // Everything so far is durable (this turn's snapshot holds exactly that): reads see it until this commit is synced.
      durable ??= turn ?? snapshot()
    },
    commitFailed() {
      if (pinned.size > 0 || syncing !== null || !durable) return
      const reader = durable
      durable = null
      release(reader)
    },
    committed(seq) {
      latest = seq
      drop(seq - 1, syncing)
    },
    syncing(seq) {
      syncing = seq
    },
    synced(seq) {
      syncing = null
      const previous = durable
      if (seq === latest) {
        // Nothing newer is waiting: reads go back to the latest state, and every snapshot can go.
        durable = null
        drop(seq, null)
      } else {
        const reader = pinned.get(seq)
        if (reader) {
          pinned.delete(seq)
          reader.pinned = false
          durable = reader
        }
        drop(seq, null)
      }
      if (previous && previous !== durable) release(previous)
    },
    syncFailed(seq) {
      // Never published: those commits may not be on disk. The next sync that succeeds covers them.
      syncing = null
      const reader = pinned.get(seq)
      if (reader) unpin(seq, reader)
    },
  }

  return {
    observer,
    /** Runs read-only `work` on one consistent state, the latest durable one when it started. */
    async read<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
      const reader = durable ?? currentState()
      reader.users++
      reading++
      try {
        return await work(reader.repos)
      } finally {
        reader.users--
        reading--
        release(reader)
        if (reading === 0) drained.splice(0).forEach((resolve) => resolve())
      }
    },
    /** Waits for reads in flight, then closes every read connection. */
    async close(): Promise<void> {
      if (reading > 0) await new Promise<void>((resolve) => drained.push(resolve))
      durable = null
      turn = null
      pinned.clear()
      for (const reader of all.splice(0)) reader.handle.close()
      idle.length = 0
      drained = []
    },
  }
}

export type SnapshotReaders = ReturnType<typeof createSnapshotReaders>
