import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { runRoster } from '../helpers/cli.js'
import { dropPostgresDatabases, freshPostgresDatabase, POSTGRES_TEST_SECRET_KEY, testPostgresUrl } from '../helpers/postgres-databases.js'

const url = testPostgresUrl()

describe('the CLI on PostgreSQL', { skip: !url && 'ROSTER_TEST_POSTGRES_URL is not set' }, () => {
  after(() => dropPostgresDatabases(url!))

  it('keys create and keys list take --postgres URL, or ROSTER_DATABASE_URL', async () => {
    const database = await freshPostgresDatabase(url!)
    const created = await runRoster(['keys', 'create', '--entity', 'Acme', '--postgres', database], { ROSTER_SECRET_KEY: POSTGRES_TEST_SECRET_KEY })
    assert.equal(created.code, 0, created.stderr)
    const listed = await runRoster(['keys', 'list'], { ROSTER_SECRET_KEY: POSTGRES_TEST_SECRET_KEY, ROSTER_DATABASE_URL: database })
    assert.equal(listed.code, 0, listed.stderr)
    const rows = listed.stdout.trim().split('\n')
    assert.equal(rows.length, 2)
    assert.equal(rows[1]!.split('\t')[1], 'Acme')
  })

  it('refuses two engines at once, a URL that is not postgres://, and PostgreSQL without the secret key', async () => {
    const both = await runRoster(['keys', 'list', '--db', './x.db', '--postgres', url!])
    assert.deepEqual([both.code, both.stderr.split('\n')[0]], [1, 'roster: give --db or --postgres, not both'])
    const env = await runRoster(['keys', 'list'], { ROSTER_DB: './x.db', ROSTER_DATABASE_URL: url! })
    assert.deepEqual([env.code, env.stderr.split('\n')[0]], [1, 'roster: set ROSTER_DB or ROSTER_DATABASE_URL, not both'])
    const mysql = await runRoster(['serve', '--postgres', 'mysql://db/roster'])
    assert.deepEqual([mysql.code, mysql.stderr.split('\n')[0]], [1, 'roster: --postgres must be a postgres:// URL'])
    const keyless = await runRoster(['keys', 'list', '--postgres', await freshPostgresDatabase(url!)])
    assert.equal(keyless.code, 1)
    assert.match(keyless.stderr, /^roster: On PostgreSQL roster needs its secret key, which never lives in the database/)
  })
})
