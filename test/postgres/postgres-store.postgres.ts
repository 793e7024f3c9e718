import assert from 'node:assert/strict'
import { after, afterEach, describe, it } from 'node:test'
import pg from 'pg'
import { ConflictError, openRoster, SecretKeyError, StorageError, ValidationError, type Roster } from '../../src/index.js'
import type { Store } from '../../src/core/ports/store.js'
import { openPostgresStore } from '../../src/storage/postgres/pg-store.js'
import { migrationFileNames } from '../helpers/migration-files.js'
import { emptyPostgresDatabase, dropPostgresDatabases, freshPostgresDatabase, POSTGRES_TEST_SECRET_KEY, testPostgresUrl } from '../helpers/postgres-databases.js'
import { BOOTSTRAP_KEY, createTestTenant } from '../helpers/roster.js'
import { addTenant, newUser } from '../helpers/store-fixtures.js'

// What only PostgreSQL has: a server many processes share, its migrations' lock, its schema types, a host's pool.
const url = testPostgresUrl()

describe('PostgreSQL store', { skip: !url && 'ROSTER_TEST_POSTGRES_URL is not set' }, () => {
  const server = url!
  const stores: Store[] = []
  const rosters: Roster[] = []
  const clients: pg.Client[] = []
  const open = async (connectionString: string) => {
    const store = await openPostgresStore({ connectionString })
    stores.push(store)
    return store
  }
  const openOn = async (connectionString: string) => {
    const roster = await openRoster({ postgres: { connectionString }, secretKey: POSTGRES_TEST_SECRET_KEY, bootstrapKey: BOOTSTRAP_KEY })
    rosters.push(roster)
    return roster
  }
  const query = async (connectionString: string, text: string) => {
    const client = new pg.Client({ connectionString })
    clients.push(client)
    await client.connect()
    return (await client.query(text)).rows
  }
  afterEach(async () => {
    for (const roster of rosters.splice(0)) await roster.close()
    for (const store of stores.splice(0)) await store.close()
    for (const client of clients.splice(0)) await client.end()
  })
  after(() => dropPostgresDatabases(server))

  it('migrates an empty database once when several processes open it together, and records every migration', async () => {
    const database = await emptyPostgresDatabase(server)
    // Each store has its own pool, as separate processes would: kysely's advisory lock lets one migrate.
    await Promise.all([open(database), open(database), open(database)])
    const rows = await query(database, 'select name from roster_migration order by name')
    assert.deepEqual(rows.map((row) => row.name), migrationFileNames())
    const reopened = await open(database)
    assert.equal(await reopened.read((r) => r.tenants.bootstrapKeyHash()), null)
  })

  it('gives PostgreSQL its own types and indexes: jsonb metadata, byte-ordered text, bigint usage, pg_trgm search', async () => {
    const database = await freshPostgresDatabase(server)
    const columns = await query(database, `select table_name || '.' || column_name as name, data_type, collation_name from information_schema.columns
      where table_schema = 'public' and table_name in ('users', 'usage_hourly', 'usage_monthly')`)
    const column = (name: string) => columns.find((row) => row.name === name)
    assert.equal(column('users.metadata')?.data_type, 'jsonb')
    assert.equal(column('users.email_lower')?.collation_name, 'C')
    assert.equal(column('users.id')?.collation_name, 'C')
    assert.equal(column('usage_hourly.requests')?.data_type, 'bigint')
    assert.equal(column('usage_monthly.units')?.data_type, 'bigint')
    const indexes = (await query(database, `select indexname, indexdef from pg_indexes where tablename = 'users'`)).map((row) => `${row.indexname}: ${row.indexdef}`)
    for (const name of ['users_search_name', 'users_search_email', 'users_search_external_id', 'users_search_email_lower']) {
      assert.ok(indexes.some((index) => index.startsWith(`${name}:`) && index.includes('USING gin') && index.includes('gin_trgm_ops')), name)
    }
  })

  it('needs the secret key from the host: it never lives in the database', async () => {
    const connectionString = await freshPostgresDatabase(server)
    await assert.rejects(openRoster({ postgres: { connectionString } }), (error: unknown) =>
      error instanceof SecretKeyError && /On PostgreSQL roster needs its secret key/.test(error.message))
    await assert.rejects(openRoster({ postgres: { connectionString }, path: './x.db', secretKey: POSTGRES_TEST_SECRET_KEY }), (error: unknown) =>
      error instanceof ValidationError && error.message === 'give path or postgres, not both')
  })

  it('says why it cannot reach the server', async () => {
    const nowhere = new URL(server)
    nowhere.port = '1'
    await assert.rejects(openRoster({ postgres: { connectionString: nowhere.toString() }, secretKey: POSTGRES_TEST_SECRET_KEY }), (error: unknown) =>
      error instanceof StorageError && error.message === 'cannot open the PostgreSQL database: nothing listens at that address')
  })

  it('runs on a pg.Pool the host already has, and leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: await freshPostgresDatabase(server), max: 3 })
    try {
      const roster = await openRoster({ postgres: { pool }, secretKey: POSTGRES_TEST_SECRET_KEY, bootstrapKey: BOOTSTRAP_KEY })
      const acme = await createTestTenant(roster)
      await roster.users.create(acme.principal, { name: 'Ada', email: 'ada@acme.test' })
      await roster.close()
      const { rows } = await pool.query('select count(*)::int as n from users')
      assert.equal(rows[0].n, 1)
    } finally {
      await pool.end()
    }
  })

  it('keeps one truth across stores on one database: one winner per email, unique numbers, exact counters', async () => {
    const database = await freshPostgresDatabase(server)
    const [a, b, c] = [await open(database), await open(database), await open(database)]
    const tenant = await addTenant(a)
    const tries = Array.from({ length: 30 }, (_, i) => [a, b, c][i % 3]!.transaction((tx) => tx.users.insert(tenant, newUser({ email: i % 2 ? 'SAME@x.test' : 'same@X.Test' }))))
    const settled = await Promise.allSettled(tries)
    assert.equal(settled.filter((s) => s.status === 'fulfilled').length, 1)
    for (const s of settled) if (s.status === 'rejected') assert.ok(s.reason instanceof ConflictError && s.reason.field === 'email', String(s.reason))
    const others = await Promise.all(Array.from({ length: 30 }, (_, i) => [a, b, c][i % 3]!.transaction((tx) => tx.users.insert(tenant, newUser()))))
    assert.deepEqual(others.map((u) => u.number).sort((x, y) => x - y), Array.from({ length: 30 }, (_, i) => i + 2))
    assert.equal(await c.read((r) => r.users.count(tenant, {})), 31)
    assert.equal(await b.read((r) => r.users.count(tenant, { status: 'active' })), 31)
  })

  it('adds up usage metered by several rosters at once, to the last increment, and sees a key revoked by another at once', async () => {
    const database = await freshPostgresDatabase(server)
    const [one, two, three] = [await openOn(database), await openOn(database), await openOn(database)]
    const acme = await createTestTenant(one)
    const ada = await one.users.create(acme.principal, { name: 'Ada' })
    const credential = await one.credentials.create(acme.principal, ada.id, { name: 'Key' })
    const verifications = Array.from({ length: 90 }, (_, i) => [one, two, three][i % 3]!.credentials.verify(credential.secret, { units: (i % 4) + 1 }))
    assert.ok((await Promise.all(verifications)).every((result) => result.valid))
    for (const roster of [one, two, three]) await roster.close()
    rosters.splice(0)
    const reader = await openOn(database)
    const expectedUnits = Array.from({ length: 90 }, (_, i) => (i % 4) + 1).reduce((x, y) => x + y, 0)
    assert.deepEqual((await reader.usage.forUser(acme.principal, ada.id)).totals, { requests: 90, units: expectedUnits })
    assert.deepEqual((await reader.usage.summary(acme.principal)).totals, { requests: 90, units: expectedUnits })

    // Admin keys: no process keeps a cache it cannot invalidate, so the next request after a revocation is refused.
    const other = await openOn(database)
    const key = await reader.keys.create(acme.principal, { name: 'Second', permissions: ['manage_users'] })
    assert.equal((await other.authenticate(key.secret)).kind, 'admin')
    await reader.keys.revoke(acme.principal, key.id)
    await assert.rejects(other.authenticate(key.secret), /Invalid or revoked API key/)
  })
})
