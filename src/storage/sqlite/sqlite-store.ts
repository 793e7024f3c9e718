import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { StorageError } from '../../core/errors.js'
import type { Repositories, Store } from '../../core/ports/store.js'
import { migrateToLatest } from '../migrate.js'
import { SerialQueue } from './serial-queue.js'
import { openFailure } from './sqlite-errors.js'
import { createSqliteAccountRepository } from './sqlite-account-repository.js'
import { createSqliteAccountUserRepository } from './sqlite-account-user-repository.js'
import { createSqliteAttemptRepository } from './sqlite-attempt-repository.js'
import { createSqliteCredentialRepository } from './sqlite-credential-repository.js'
import { createSqliteGroupRepository } from './sqlite-group-repository.js'
import { createSqliteKeyRepository } from './sqlite-key-repository.js'
import { createSqliteMfaRepository } from './sqlite-mfa-repository.js'
import { createSqlitePasswordRepository } from './sqlite-password-repository.js'
import { createSqliteRoleRepository } from './sqlite-role-repository.js'
import { createSqliteSecretUpkeepRepository } from './sqlite-secret-upkeep-repository.js'
import { createSqliteTenantRepository } from './sqlite-tenant-repository.js'
import { createSqliteUsageRepository } from './sqlite-usage-repository.js'
import { createSqliteUserRepository } from './sqlite-user-repository.js'
import type { Tables } from './tables.js'

export interface SqliteStoreOptions {
  /** A file path, or `:memory:`. */
  readonly path: string
  /**
   * `full` (default) syncs every commit to disk, so a returned call survives power loss as well as
   * a killed process; `normal` survives a killed process and is faster.
   */
  readonly durability?: 'full' | 'normal' | undefined
  /** How long a write waits for another process holding the file's lock, in ms. */
  readonly busyTimeoutMs?: number | undefined
}

export interface SqliteStore extends Store {
  /** The better-sqlite3 handle, for benchmarks and diagnostics only. */
  readonly handle: Database.Database
}

/** Opens (creating if needed) and migrates an SQLite database, and returns the store over it. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  let opened: Database.Database | undefined
  try {
    opened = new Database(options.path)
    // The first statement reads the file header: a file that is not a database fails here.
    opened.pragma('journal_mode = WAL')
  } catch (error) {
    opened?.close()
    throw openFailure(options.path, error)
  }
  const handle = opened
  try {
    handle.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`)
    handle.pragma('foreign_keys = ON')
    handle.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: handle }) })
    await migrateToLatest(db)
    return createStore(handle, db)
  } catch (error) {
    handle.close()
    throw error
  }
}

function createStore(handle: Database.Database, db: Kysely<Tables>): SqliteStore {
  const repos: Repositories = {
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
  }
  const queue = new SerialQueue()
  // Reads the schema page: the cheapest query that proves the file is still readable.
  const schemaCount = handle.prepare('select count(*) from sqlite_schema')
  let closed = false

  return {
    handle,
    transaction(work) {
      return queue.run(async () => {
        // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read.
        handle.exec('BEGIN IMMEDIATE')
        try {
          const result = await work(repos)
          handle.exec('COMMIT')
          return result
        } catch (error) {
          if (handle.inTransaction) handle.exec('ROLLBACK')
          throw error
        }
      })
    },
    read(work) {
      return queue.run(() => work(repos))
    },
    ping() {
      return queue.run(async () => {
        if (closed) throw new StorageError('The store is closed')
        schemaCount.get()
      })
    },
    async close() {
      if (closed) return
      closed = true
      await queue.drain()
      await db.destroy()
      if (handle.open) handle.close()
    },
  }
}
