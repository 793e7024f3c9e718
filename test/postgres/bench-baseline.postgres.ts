import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { load, type Tenant } from '../../bench/suites/postgres-fixture.js'
import { rawPostgres } from '../../bench/suites/postgres-raw.js'
import { hashSecret } from '../../src/core/secrets.js'
import { openRoster, type Roster } from '../../src/index.js'
import { dropPostgresDatabases, freshPostgresDatabase, POSTGRES_TEST_SECRET_KEY, testPostgresUrl } from '../helpers/postgres-databases.js'
import { BOOTSTRAP_KEY } from '../helpers/roster.js'

const url = testPostgresUrl()

// The PostgreSQL benchmark's raw side must keep doing what roster does as the schema grows: the same
// rows back, and the same rows written (a create's audit entry, a verification's usage).
describe('PostgreSQL benchmark: raw baseline', { skip: !url && 'ROSTER_TEST_POSTGRES_URL is not set' }, () => {
  let roster: Roster
  let pool: pg.Pool
  let tenant: Tenant
  let raw: ReturnType<typeof rawPostgres>
  const count = async (table: string) => Number((await pool.query(`select count(*) as n from ${table}`)).rows[0].n)

  before(async () => {
    const database = await freshPostgresDatabase(url!)
    roster = await openRoster({ postgres: { connectionString: database }, secretKey: POSTGRES_TEST_SECRET_KEY, bootstrapKey: BOOTSTRAP_KEY })
    pool = new pg.Pool({ connectionString: database, max: 2 })
    ;[tenant] = (await load(roster, pool, { users: 120, tenants: 1 })) as [Tenant]
    raw = rawPostgres(pool)
  })
  after(async () => {
    await roster.close()
    await pool.end()
    await dropPostgresDatabases(url!)
  })

  it('reads the user, the page with its total and the key roster reads', async () => {
    const id = tenant.userIds[3]!
    const user = await roster.users.get(tenant.principal, id)
    const row = (await raw.getById(tenant.id, id)).rows[0]
    assert.deepEqual([row.id, row.email, row.number, row.tenant_name], [user.id, user.email, user.number, user.tenantName])
    const page = await roster.users.list(tenant.principal, { limit: 50 })
    const { rows, total } = await raw.list(tenant.id, 50)
    assert.deepEqual(rows.slice(0, 50).map((r) => r.id), page.users.map((u) => u.id))
    assert.equal(Number(total), page.total)
    assert.equal((await raw.keyByHash(hashSecret(tenant.secret))).rows[0].id, tenant.principal.keyId)
  })

  it('writes what roster writes for a create and a verification', async () => {
    const before = { users: await count('users'), audit: await count('audit_entries') }
    await roster.users.create(tenant.principal, { name: 'Roster', externalId: 'r-1', email: 'r-1@example.com' })
    const byRoster = { users: await count('users') - before.users, audit: await count('audit_entries') - before.audit }
    const created = await raw.create(tenant.id, tenant.principal.keyId!, { name: 'Raw', externalId: 'w-1', email: 'W-1@example.com' })
    assert.deepEqual({ users: await count('users') - before.users, audit: await count('audit_entries') - before.audit }, { users: byRoster.users * 2, audit: byRoster.audit * 2 })
    assert.equal((await roster.users.get(tenant.principal, created.id)).email, 'W-1@example.com')

    const requests = async () => Number((await pool.query('select coalesce(sum(requests), 0) as n from usage_hourly')).rows[0].n)
    const start = await requests()
    await roster.credentials.verify(tenant.credential)
    await raw.verify(hashSecret(tenant.credential))
    assert.equal(await requests(), start + 2)
  })
})
