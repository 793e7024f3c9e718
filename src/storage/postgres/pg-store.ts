import { Kysely, PostgresDialect, type PostgresPool as KyselyPool } from 'kysely'
import { StorageError } from '../../core/errors.js'
import type { Repositories, Store } from '../../core/ports/store.js'
import type { Tables } from '../sqlite/tables.js'
import { migrateToLatest } from '../migrate.js'
import { pgAuditRepository } from './pg-audit-repository.js'
import { pgIdempotencyRepository } from './pg-idempotency-repository.js'
import { pgAccountRepository } from './pg-account-repository.js'
import { pgAccountUserRepository } from './pg-account-user-repository.js'
import { pgAttemptRepository } from './pg-attempt-repository.js'
import { pgCredentialRepository } from './pg-credential-repository.js'
import { isRetryable, pgOpenFailure } from './pg-errors.js'
import { pgGroupRepository } from './pg-group-repository.js'
import { pgKeyRepository } from './pg-key-repository.js'
import { pgMfaRepository } from './pg-mfa-repository.js'
import { pgPasswordRepository } from './pg-password-repository.js'
import { createPool, type PostgresConnection, type PostgresPool } from './pg-pool.js'
import type { PgConnection } from './pg-prepared.js'
import { pgRoleRepository } from './pg-role-repository.js'
import { PgSession } from './pg-session.js'
import { pgSecretUpkeepRepository } from './pg-secret-upkeep-repository.js'
import { pgTenantRepository } from './pg-tenant-repository.js'
import { pgUsageRepository } from './pg-usage-repository.js'
import { pgUserRepository } from './pg-user-repository.js'

/** How many times a transaction that lost a serialization conflict runs again before its error is let through. */
const MAX_ATTEMPTS = 50

export interface PostgresStore extends Store {
  /** The pool, for the store's own tools (copying a store, benchmarks). */
  readonly pool: PostgresPool
}

/**
 * Opens a store on PostgreSQL, migrating the database first (under kysely's advisory lock, so
 * processes starting together migrate once).
 *
 * Transactions run SERIALIZABLE: PostgreSQL lets them overlap but commits only what could have run one
 * after another, so every guarantee the SQLite adapter gives by never interleaving holds across any
 * number of processes. Those made only of statements that lock all they read run READ COMMITTED, which
 * is then as strict (pg-session.ts). One that loses a conflict (SQLSTATE 40001, or a deadlock, 40P01)
 * has changed nothing and is run again, after a short random pause. A read of one statement runs it
 * alone, which sees one snapshot of committed data; a read of several runs them in a REPEATABLE READ
 * READ ONLY transaction, one snapshot for all. A transaction settles once PostgreSQL has committed it,
 * which is as durable as the server's `synchronous_commit` makes it.
 */
export async function openPostgresStore(connection: PostgresConnection): Promise<PostgresStore> {
  const owned = connection.pool === undefined
  const pool = connection.pool ?? (await createPool(connection.connectionString, connection.max))
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: kyselyPool(pool) }) })
  try {
    // Reached once before migrating, so an unreachable server is named as such, not as a failed migration.
    const probe = await pool.connect()
    probe.release()
    await migrateToLatest(db)
  } catch (error) {
    await db.destroy().catch(() => {})
    if (owned) await pool.end().catch(() => {})
    throw error instanceof StorageError ? error : pgOpenFailure(error)
  }
  return createStore(pool, db, owned)
}

function createStore(pool: PostgresPool, db: Kysely<Tables>, owned: boolean): PostgresStore {
  // Compiled once for the store; bound to a connection for each transaction.
  const makers = {
    tenants: pgTenantRepository(db),
    keys: pgKeyRepository(db),
    users: pgUserRepository(db),
    credentials: pgCredentialRepository(db),
    usage: pgUsageRepository(db),
    accounts: pgAccountRepository(db),
    roles: pgRoleRepository(db),
    passwords: pgPasswordRepository(db),
    groups: pgGroupRepository(db),
    mfa: pgMfaRepository(db),
    accountUsers: pgAccountUserRepository(db),
    attempts: pgAttemptRepository(db),
    secretUpkeep: pgSecretUpkeepRepository(db),
    audit: pgAuditRepository(db),
    idempotency: pgIdempotencyRepository(db),
  } satisfies { [K in keyof Repositories]: (c: PgConnection) => Repositories[K] }
  const repositoriesOn = lazyRepositories(makers)
  let closed = false
  let running = 0
  let idle: (() => void) | null = null

  // Work (by its source text: every call from one place in the code has the same) that needed a
  // snapshot, or SERIALIZABLE, before, so it starts with it (PgSession). Bounded by the code's call sites.
  const strict = new Set<string>()

  async function inTransaction<T>(mode: 'read' | 'write', work: (repos: Repositories) => Promise<T>): Promise<T> {
    if (closed) throw new StorageError('The store is closed')
    running++
    const site = `${mode}:${String(work)}`
    try {
      for (let attempt = 1; ; attempt++) {
        const session = new PgSession(await pool.connect(), mode, strict.has(site))
        try {
          const repos = repositoriesOn(session)
          return await session.settle(() => work(repos))
        } catch (error) {
          await session.abandon()
          if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error
        } finally {
          if (session.strict) strict.add(site)
          session.release()
        }
        // Contenders spread out, a little more each time, so they stop meeting.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)))
      }
    } finally {
      running--
      if (running === 0) idle?.()
    }
  }

  return {
    pool,
    transaction: (work) => inTransaction('write', work),
    read: (work) => inTransaction('read', work),
    // No in-process cache is safe to keep without a signal from the other processes, so none is kept.
    foreignWrites: () => null,
    async ping() {
      if (closed) throw new StorageError('The store is closed')
      const client = await pool.connect()
      try {
        await client.query({ text: 'select 1' })
      } finally {
        client.release()
      }
    },
    async close() {
      if (closed) return
      closed = true
      if (running > 0) await new Promise<void>((resolve) => (idle = resolve))
      await db.destroy()
      if (owned) await pool.end()
    },
  }
}

/**
 * Binds repositories to a connection as work first touches each: a call uses one or two of the fifteen,
 * and making all of them for every call was a measurable share of a point read.
 */
function lazyRepositories(makers: { [K in keyof Repositories]: (c: PgConnection) => Repositories[K] }): (c: PgConnection) => Repositories {
  class Bound {
    constructor(readonly connection: PgConnection) {}
  }
  for (const [name, make] of Object.entries(makers) as [string, (c: PgConnection) => unknown][]) {
    Object.defineProperty(Bound.prototype, name, {
      get(this: Bound) {
        const repository = make(this.connection)
        Object.defineProperty(this, name, { value: repository })
        return repository
      },
    })
  }
  return (c) => new Bound(c) as unknown as Repositories
}

/** The pool as kysely's Postgres dialect drives it (for migrations), through roster's structural type. */
function kyselyPool(pool: PostgresPool): KyselyPool {
  const wrapped = {
    async connect() {
      const client = await pool.connect()
      return {
        query: (text: string, values: readonly unknown[]) => client.query({ text, values: [...values] }),
        release: () => client.release(),
      }
    },
    // The pool outlives kysely: the store ends it (or leaves a host's pool to the host).
    end: async () => {},
  }
  // kysely's type also names the cursor form of `query`, which migrations never use.
  return wrapped as unknown as KyselyPool
}
