import { after } from 'node:test'
import type { OpenRosterOptions } from '../../src/index.js'
import type { Store } from '../../src/core/ports/store.js'
import { openPostgresStore } from '../../src/storage/postgres/pg-store.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { tempDbPath } from './temp-db.js'

export interface Backend {
  readonly name: string
  readonly engine: 'sqlite' | 'postgres'
  /** False when a store ends with its connection (`:memory:`): nothing survives a reopen. */
  readonly persistent: boolean
  /** A fresh, empty place for one test, as openRoster's options; the same options reopen it. */
  roster(): Promise<OpenRosterOptions>
  /** Opens a store on `place` (a fresh one when not given). */
  store(place?: OpenRosterOptions): Promise<Store>
}

/** Names listed in ROSTER_TEST_STORES (comma-separated) run; all run when it is unset. */
function selectedByEnv(name: string): boolean {
  const wanted = process.env.ROSTER_TEST_STORES
  return !wanted || wanted.split(',').map((s) => s.trim()).includes(name)
}

function sqlite(name: string, path: () => string, persistent: boolean): Backend {
  const backend: Backend = {
    name, engine: 'sqlite', persistent,
    roster: async () => ({ path: path() }),
    store: async (place) => openSqliteStore({ path: (place ?? (await backend.roster())).path! }),
  }
  return backend
}

/** PostgreSQL, when ROSTER_TEST_POSTGRES_URL names a server: each test gets a new database, dropped when its file ends. */
function postgres(url: string): Backend {
  const backend: Backend = {
    name: 'postgres', engine: 'postgres', persistent: true,
    roster: async () => {
      // Loaded only here, so an SQLite-only run never loads `pg`.
      const { freshPostgresDatabase, POSTGRES_TEST_SECRET_KEY } = await import('./postgres-databases.js')
      return { postgres: { connectionString: await freshPostgresDatabase(url), max: 4 }, secretKey: POSTGRES_TEST_SECRET_KEY }
    },
    store: async (place) => openPostgresStore((place ?? (await backend.roster())).postgres!),
  }
  return backend
}

const postgresUrl = process.env.ROSTER_TEST_POSTGRES_URL || null

/** Every storage backend the conformance and service tests run against. A new engine is one more entry. */
export const STORES: readonly Backend[] = [
  sqlite('sqlite-memory', () => ':memory:', false),
  sqlite('sqlite-file', tempDbPath, true),
  ...(postgresUrl ? [postgres(postgresUrl)] : []),
].filter((backend) => selectedByEnv(backend.name))

if (postgresUrl && STORES.some((b) => b.engine === 'postgres')) {
  after(async () => {
    const { dropPostgresDatabases } = await import('./postgres-databases.js')
    await dropPostgresDatabases(postgresUrl)
  })
}
