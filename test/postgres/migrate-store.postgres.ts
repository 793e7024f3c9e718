import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { openRoster, type Roster } from '../../src/index.js'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { runRoster } from '../helpers/cli.js'
import { dropPostgresDatabases, emptyPostgresDatabase, testPostgresUrl } from '../helpers/postgres-databases.js'
import { BOOTSTRAP_KEY, createTestTenant } from '../helpers/roster.js'
import { tempDbPath } from '../helpers/temp-db.js'

const url = testPostgresUrl()
const TABLES = ['tenants', 'installation', 'admin_keys', 'users', 'groups', 'group_memberships', 'roles', 'user_roles', 'credentials',
  'usage_hourly', 'mfa_totp_factors', 'mfa_recovery_codes', 'auth_attempts', 'audit_entries', 'idempotency_keys']

/** What every surface reads, through the library: the same on the SQLite store and on its copy. */
async function everything(roster: Roster, tenantIds: readonly string[]) {
  const seen: unknown[] = []
  for (const tenantId of tenantIds) {
    const as = roster.principals.tenant(tenantId)
    const users = await roster.users.list(as, { limit: 100 })
    seen.push(users.users, await roster.accounts.list(as, { sort: 'email', include: 'roles' } as never), await roster.roles.list(as), await roster.groups.list(as))
    seen.push(await roster.usage.summary(as, { from: '2026-01-01', to: '2026-12-31' }), await roster.keys.list(as), await roster.accountUsers.list(as, tenantId, {} as never).catch((e) => String(e)))
    seen.push(await roster.audit.list(as, { limit: 100 }))
    for (const user of users.users) {
      seen.push(await roster.groups.forUser(as, user.id), await roster.roles.forAccount(as, user.id as never), await roster.mfa.status(as, user.id))
      seen.push(await roster.usage.forUser(as, user.id, { from: '2026-01-01', to: '2026-12-31' }), await roster.credentials.list(as, user.id))
    }
  }
  return seen
}

describe('roster migrate-store', { skip: !url && 'ROSTER_TEST_POSTGRES_URL is not set' }, () => {
  after(() => dropPostgresDatabases(url!))

  it('copies a whole SQLite store into an empty PostgreSQL database, verifies every table, and refuses a second run', async () => {
    const path = tempDbPath()
    const sqlite = await openRoster({ path, bootstrapKey: BOOTSTRAP_KEY, durability: 'normal', onNotice: () => {} })
    const acme = await createTestTenant(sqlite, 'Acme')
    const beta = await createTestTenant(sqlite, 'Beta')
    const ada = await sqlite.users.create(acme.principal, { name: 'Ada Lovelace', email: 'Ada@Acme.test', externalId: 'ada', metadata: { plan: { tier: 2, tags: ['b', 'a'] }, z: 1, a: null } })
    await sqlite.accounts.create(acme.principal, { email: 'bob@acme.test', password: 'correct horse battery' })
    for (let i = 0; i < 12; i++) await sqlite.users.create(beta.principal, { name: `Beta ${i}`, email: `b${i}@beta.test` })
    const admins = await sqlite.roles.create(acme.principal, { name: 'admins', description: 'All of it' })
    await sqlite.roles.grant(acme.principal, ada.id as never, [admins.id])
    const ops = await sqlite.groups.create(acme.principal, { name: 'ops' })
    await sqlite.groups.addMember(acme.principal, ops.id, ada.id)
    const credential = await sqlite.credentials.create(acme.principal, ada.id, { name: 'Key' })
    for (let i = 0; i < 7; i++) assert.equal((await sqlite.credentials.verify(credential.secret, { units: 3 })).valid, true)
    const { secret } = await sqlite.mfa.startEnrolment(acme.principal, ada.id)
    await sqlite.mfa.confirm(acme.principal, ada.id, { code: hotp(base32Decode(secret)!, totpStep(Date.now() / 1000)) })
    await sqlite.passwords.verify(acme.tenantId, 'bob@acme.test', 'wrong password')
    const before = await everything(sqlite, [acme.tenantId, beta.tenantId])
    await sqlite.close()

    const target = await emptyPostgresDatabase(url!)
    const copied = await runRoster(['migrate-store', '--from', path, '--to', target])
    assert.equal(copied.code, 0, copied.stderr)
    assert.match(copied.stderr, /roster: copying users: 14\/14 rows/)
    const lines = copied.stdout.trim().split('\n')
    assert.deepEqual(lines.slice(0, -1).map((line) => line.split('\t')[0]), TABLES)
    assert.equal(lines.find((line) => line.startsWith('users\t'))?.split('\t')[1], '14')
    assert.match(lines.at(-1)!, /^copied and verified 15 tables/)

    // The same key file opens the sealed MFA secrets on the copy: the key moves with the operator, never with the data.
    const secretKey = readFileSync(`${path}.key`, 'utf8').trim()
    const copy = await openRoster({ postgres: { connectionString: target }, secretKey, onNotice: () => {} })
    try {
      assert.deepEqual(await everything(copy, [acme.tenantId, beta.tenantId]), before)
      assert.equal((await copy.authenticate(acme.key)).kind, 'admin')
      assert.equal((await copy.credentials.verify(credential.secret)).valid, true)
      assert.equal((await copy.passwords.verify(acme.tenantId, 'BOB@acme.test', 'correct horse battery'))?.email, 'bob@acme.test')
      // Numbering and counters carry on from the copy.
      assert.equal((await copy.users.create(acme.principal, { name: 'Next' })).number, 3)
    } finally {
      await copy.close()
    }

    const again = await runRoster(['migrate-store', '--from', path, '--to', target])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /roster: the target database is not empty: tenants has rows\. Copy into a new, empty database\./)
  })

  it('names what is missing or wrong in its arguments', async () => {
    const missing = await runRoster(['migrate-store', '--to', url!])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /--from PATH \(the SQLite file\) is required/)
    const notPostgres = await runRoster(['migrate-store', '--from', tempDbPath(), '--to', 'mysql://x'])
    assert.match(notPostgres.stderr, /--to must be a postgres:\/\/ URL/)
    const noFile = await runRoster(['migrate-store', '--from', '/nonexistent/roster.db', '--to', url!])
    assert.match(noFile.stderr, /no database at \/nonexistent\/roster\.db/)
  })
})
