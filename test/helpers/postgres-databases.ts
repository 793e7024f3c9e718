import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openPostgresStore } from '../../src/storage/postgres/pg-store.js'

/** The key PostgreSQL test stores seal MFA secrets with: on PostgreSQL the host always gives one. */
export const POSTGRES_TEST_SECRET_KEY = 'postgres-test-secret-key-0123456789abcdef'

/** The server the PostgreSQL tests use (ROSTER_TEST_POSTGRES_URL), or null when they do not run. */
export function testPostgresUrl(): string | null {
  return process.env.ROSTER_TEST_POSTGRES_URL || null
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

const made: string[] = []
let template: Promise<string> | null = null
let admin: Promise<pg.Client> | null = null
// One statement at a time on the admin connection.
let queue: Promise<unknown> = Promise.resolve()

function adminQuery(url: string, text: string): Promise<unknown> {
  admin ??= (async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return client
  })()
  const run = queue.then(async () => (await admin!).query(text))
  queue = run.catch(() => {})
  return run
}

const prefix = `roster_test_${process.pid}_${randomBytes(3).toString('hex')}`

/**
 * A new, migrated database on the server at `url`, and its URL. The first call migrates a template
 * database for this test process; each later one copies it (CREATE DATABASE … TEMPLATE), which takes
 * milliseconds where migrating takes a second.
 */
export async function freshPostgresDatabase(url: string): Promise<string> {
  template ??= (async () => {
    const name = `${prefix}_template`
    await adminQuery(url, `create database ${name}`)
    made.push(name)
    const store = await openPostgresStore({ connectionString: withDatabase(url, name), max: 1 })
    await store.close()
    return name
  })()
  const from = await template
  const name = `${prefix}_${made.length}`
  made.push(name)
  // The default strategy (WAL_LOG): FILE_COPY is quicker but waits for a checkpoint, which a busy machine can hold up for minutes.
  await adminQuery(url, `create database ${name} template ${from}`)
  return withDatabase(url, name)
}

/** An empty database (no migrations run), for tests of opening and migrating. */
export async function emptyPostgresDatabase(url: string): Promise<string> {
  const name = `${prefix}_${made.length}`
  made.push(name)
  await adminQuery(url, `create database ${name}`)
  return withDatabase(url, name)
}

/**
 * Drops every database this process made, closing connections a test left open. On a throwaway server
 * (ROSTER_TEST_POSTGRES_THROWAWAY, set by `npm run test:postgres` for the server it starts) they go with
 * the server instead: each DROP DATABASE waits for a checkpoint, which a busy disk can stretch to minutes.
 */
export async function dropPostgresDatabases(url: string): Promise<void> {
  if (admin === null) return
  const names = made.splice(0).reverse()
  if (!process.env.ROSTER_TEST_POSTGRES_THROWAWAY) {
    for (const name of names) await adminQuery(url, `drop database if exists ${name} with (force)`)
  }
  await (await admin).end()
  admin = null
}
