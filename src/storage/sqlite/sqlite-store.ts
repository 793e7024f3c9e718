import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { StorageError } from '../../core/errors.js'
import type { Repositories, Store } from '../../core/ports/store.js'
import { migrateToLatest } from '../migrate.js'
import { openFailure } from './sqlite-errors.js'
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js'
import { createGroupCommit } from './sqlite-group-commit.js'
import { createSqliteAccountRepository } from './sqlite-account-repository.js'
import { createSqliteAccountUserRepository } from './sqlite-account-user-repository.js'
import { prepareAuditIndexing, startAuditIndexing } from './sqlite-audit-index.js'
import { createSqliteAuditRepository, type AuditWriter } from './sqlite-audit-repository.js'
import { createSqliteAttemptRepository } from './sqlite-attempt-repository.js'
import { createSqliteCredentialRepository } from './sqlite-credential-repository.js'
import { createSqliteGroupRepository } from './sqlite-group-repository.js'
import { createSqliteIdempotencyRepository } from './sqlite-idempotency-repository.js'
import { createSqliteKeyRepository } from './sqlite-key-repository.js'
import { createSqliteMfaRepository } from './sqlite-mfa-repository.js'
import { createSqlitePasswordRepository } from './sqlite-password-repository.js'
import { createSqliteRoleRepository } from './sqlite-role-repository.js'
import { createSqliteSecretUpkeepRepository } from './sqlite-secret-upkeep-repository.js'
import { createSqliteTenantRepository } from './sqlite-tenant-repository.js'
import { createSqliteUsageRepository } from './sqlite-usage-repository.js'
import { createSqliteUserRepository } from './sqlite-user-repository.js'
import { createSnapshotReaders } from './sqlite-snapshot-readers.js'
import { refreshStatistics } from './sqlite-statistics.js'
import { createWalRestart, RESTART_AFTER_FRAMES, type WalRestart } from './sqlite-wal-restart.js'
import { createWalSync } from './sqlite-wal-sync.js'
import type { Tables } from './tables.js'

/** How often a long-running store refreshes the query planner's statistics. */
const OPTIMIZE_EVERY_MS = 60 * 60 * 1000
/** How stale the view of other processes' writes may be (see Store.foreignWrites). */
const FOREIGN_CHECK_MS = 5

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. */
  readonly path: string
  /**
   * `full` (default): a transaction settles only once its commit is synced to disk, so it survives power
   * loss as well as a killed process. `normal`: it settles once committed; a killed process loses nothing,
   * a power cut may lose the last commits.
   */
  readonly durability?: 'full' | 'normal' | undefined
  /** How long a write waits for another process holding the file's lock, in ms. */
  readonly busyTimeoutMs?: number | undefined
}

export interface SqliteStore extends Store {
  /** The better-sqlite3 handle, for benchmarks and diagnostics only. */
  readonly handle: Database.Database
  /**
   * Runs `work` on the writer's connection between groups of commits, outside any transaction, once
   * every earlier write is durable: for file maintenance (VACUUM, checkpoints) that a transaction or a
   * read connection's snapshot would stop.
   */
  maintain<T>(work: (handle: Database.Database) => T): Promise<T>
}

/** Opens (creating if needed) and migrates an SQLite database, and returns the store over it. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  let opened: Database.Database | undefined
  let wal: boolean
  try {
    opened = new Database(options.path)
    // The first statement reads the file header: a file that is not a database fails here.
    wal = opened.pragma('journal_mode = WAL', { simple: true }) === 'wal'
  } catch (error) {
    opened?.close()
    throw openFailure(options.path, error)
  }
  const handle = opened
  try {
    const durability = options.durability ?? 'full'
    // `full` over WAL: SQLite commits without syncing and the store syncs the log itself, off the event
    // loop, once per group of commits (sqlite-wal-sync.ts). Without WAL (`:memory:`) SQLite syncs itself.
    const walSync = durability === 'full' && wal ? createWalSync(options.path) : null
    handle.pragma(`synchronous = ${durability === 'full' && !walSync ? 'FULL' : 'NORMAL'}`)
    handle.pragma('foreign_keys = ON')
    handle.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    // Statement and savepoint journals, and sorts, in memory rather than temp files.
    handle.pragma('temp_store = MEMORY')
    // 64 MiB of page cache (SQLite's default is 2 MiB): a tenant's hot index pages stay in memory rather than
    // being read back from the OS for every page of a list or search.
    handle.pragma('cache_size = -65536')
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: handle }) })
    await migrateToLatest(db)
    // Statistics for the planner (sqlite.org/lang_analyze.html), before any read connection loads them.
    refreshStatistics(handle, true)
    // A file in WAL mode is checkpointed from a worker thread rather than inside the writer's COMMIT. The
    // writer still checkpoints past 10,000 pages (SQLite's default is 1,000), should the worker fall behind.
    const restart = createWalRestart()
    const checkpointer = wal && !handle.memory ? startCheckpointer(handle.name, { onResult: restart.heard }) : null
    if (checkpointer) {
      handle.pragma('wal_autocheckpoint = 10000')
      // A log that a burst grew is cut back to this size when it starts over.
      handle.pragma(`journal_size_limit = ${RESTART_AFTER_FRAMES * 4096 * 2}`)
    }
    return createStore(handle, db, walSync, checkpointer, restart)
  } catch (error) {
    handle.close()
    throw error
  }
}

/** Every repository over one connection, each with its statements prepared on it once. */
function repositoriesOf(db: Kysely<Tables>, handle: Database.Database, auditWriter?: AuditWriter): Repositories {
  return {
    tenants: createSqliteTenantRepository(db, handle),
    keys: createSqliteKeyRepository(db, handle),
    users: createSqliteUserRepository(db, handle),
    credentials: createSqliteCredentialRepository(db, handle),
    usage: createSqliteUsageRepository(db, handle),
    accounts: createSqliteAccountRepository(db, handle),
    roles: createSqliteRoleRepository(db, handle),
    passwords: createSqlitePasswordRepository(db, handle),
    groups: createSqliteGroupRepository(db, handle),
    mfa: createSqliteMfaRepository(db, handle),
    accountUsers: createSqliteAccountUserRepository(db, handle),
    attempts: createSqliteAttemptRepository(db, handle),
    secretUpkeep: createSqliteSecretUpkeepRepository(db, handle),
    idempotency: createSqliteIdempotencyRepository(db, handle),
    audit: createSqliteAuditRepository(db, handle, auditWriter),
  }
}

function createStore(
  handle: Database.Database,
  db: Kysely<Tables>,
  walSync: ReturnType<typeof createWalSync> | null,
  checkpointer: Checkpointer | null,
  restart: WalRestart,
): SqliteStore {
  const indexing = prepareAuditIndexing(handle)
  // Set once the group commit exists; the writer's appends count toward the next batch of audit indexing.
  let auditIndexing: ReturnType<typeof startAuditIndexing> | null = null
  const repos = repositoriesOf(db, handle, { indexing, appended: () => auditIndexing?.appended() })
  // With a sync of its own, the store reads from snapshots of what is on disk (sqlite-snapshot-readers.ts),
  // so reads never wait for a sync; without one, reads share the writer's connection between groups.
  const foreign = foreignWriteMark(handle)
  const readers = walSync ? createSnapshotReaders(handle.name, (reader) => repositoriesOf(db, reader)) : null
  const group = createGroupCommit(handle, { sync: walSync && (() => walSync.sync()), observer: readers?.observer, beforeGroup: checkpointer ? () => restart.beforeGroup(checkpointer) : undefined })
  auditIndexing = startAuditIndexing((work) => group.write(async () => work()), indexing)
  const optimizer = setInterval(() => void group.read(async () => refreshStatistics(handle, false)), OPTIMIZE_EVERY_MS)
  optimizer.unref()
  // Reads the schema page: the cheapest query that proves the file is still readable.
  const schemaCount = handle.prepare('select count(*) from sqlite_schema')
  let closed = false

  return {
    handle,
    transaction: (work) => group.write(() => work(repos)),
    read: readers ? (work) => readers.read(work) : (work) => group.read(() => work(repos)),
    foreignWrites: foreign,
    maintain: (work) => group.read(async () => work(handle)),
    ping: () => group.read(async () => {
      if (closed) throw new StorageError('The store is closed')
      schemaCount.get()
    }),
    async close() {
      if (closed) return
      closed = true
      clearInterval(optimizer)
      await auditIndexing?.stop()
      await group.drain()
      await readers?.close()
      await checkpointer?.close()
      await walSync?.close()
      await db.destroy()
      if (handle.open) handle.close()
    },
  }
}

/**
 * Store.foreignWrites over SQLite's `data_version`, which moves only when another connection commits.
 * Reading it costs a few µs, so it is read at most every FOREIGN_CHECK_MS. An in-memory database has no
 * other connection.
 */
function foreignWriteMark(handle: Database.Database): () => number {
  if (handle.memory) return () => 0
  const version = handle.prepare('PRAGMA data_version').pluck()
  let seen = version.get()
  let mark = 0
  let checkedAt = performance.now()
  return () => {
    const now = performance.now()
    if (now - checkedAt >= FOREIGN_CHECK_MS) {
      checkedAt = now
      const current = version.get()
      if (current !== seen) {
        seen = current
        mark++
      }
    }
    return mark
  }
}
