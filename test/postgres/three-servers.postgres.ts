import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { listeningUrl, spawnCompiledRoster, type CliProcess } from '../helpers/cli.js'
import { request } from '../helpers/http.js'
import { dropPostgresDatabases, freshPostgresDatabase, POSTGRES_TEST_SECRET_KEY, testPostgresUrl } from '../helpers/postgres-databases.js'
import { BOOTSTRAP_KEY } from '../helpers/roster.js'

const url = testPostgresUrl()

// Three `roster serve --postgres` processes from dist/, as a host with three app servers runs them, on one database.
describe('three roster servers on one PostgreSQL database', { skip: !url && 'ROSTER_TEST_POSTGRES_URL is not set' }, () => {
  const processes: CliProcess[] = []
  let servers: string[] = []
  let key: string
  const on = (i: number, path: string, options: Parameters<typeof request>[2] = {}) => request(servers[i % 3]!, path, { key, ...options })

  before(async () => {
    const database = await freshPostgresDatabase(url!)
    const env = { ROSTER_SECRET_KEY: POSTGRES_TEST_SECRET_KEY, ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY }
    for (let i = 0; i < 3; i++) processes.push(spawnCompiledRoster(['serve', '--postgres', database, '--port', '0', '--quiet'], env))
    servers = await Promise.all(processes.map(listeningUrl))
    const created = await request(servers[0]!, '/v1/admin/keys', { method: 'POST', key: BOOTSTRAP_KEY, body: { entity_name: 'Acme' } })
    assert.equal(created.status, 201)
    key = created.body.data.key
  })
  after(async () => {
    for (const cli of processes) cli.child.kill('SIGTERM')
    for (const cli of processes) assert.equal((await cli.exited).code, 0, cli.stderr())
    await dropPostgresDatabases(url!)
  })

  it('reads on every server the users created on any of them', async () => {
    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      const response = await on(i, '/v1/admin/users', { method: 'POST', body: { name: `User ${i}`, external_id: `u${i}` } })
      assert.equal(response.status, 201)
      ids.push(response.body.data.id)
    }
    for (let server = 0; server < 3; server++) {
      for (const [i, id] of ids.entries()) {
        const response = await on(server, `/v1/admin/users/${id}`)
        assert.deepEqual([response.status, response.body.data.external_id], [200, `u${i}`])
      }
    }
  })

  it('answers 50 concurrent creates of one email across the servers with exactly one 201, the rest 409', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      on(i, '/v1/admin/users', { method: 'POST', body: { name: `Racer ${i}`, email: i % 2 ? 'race@acme.test' : 'RACE@Acme.Test' } })))
    const statuses = responses.map((r) => r.status)
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join())
    assert.equal(statuses.filter((s) => s === 409).length, 49, statuses.join())
    const listed = await on(2, '/v1/admin/users?email=race@acme.test')
    assert.equal(listed.body.data.length, 1)
  })

  it('adds up usage recorded through all three servers exactly', async () => {
    const user = (await on(0, '/v1/admin/users', { method: 'POST', body: { name: 'Metered' } })).body.data
    const credential = (await on(1, `/v1/admin/users/${user.id}/credentials`, { method: 'POST', body: { name: 'Key' } })).body.data
    const verifications = await Promise.all(Array.from({ length: 150 }, (_, i) =>
      on(i, '/v1/verify', { method: 'POST', body: { key: credential.key, units: (i % 5) + 1 } })))
    assert.ok(verifications.every((r) => r.status === 200 && r.body.data.valid === true))
    const units = Array.from({ length: 150 }, (_, i) => (i % 5) + 1).reduce((a, b) => a + b, 0)
    for (let server = 0; server < 3; server++) {
      const usage = await on(server, `/v1/admin/users/${user.id}/usage`)
      assert.deepEqual(usage.body.data.totals, { requests: 150, units })
    }
  })

  it('refuses on every server, at the next request, a key revoked through one', async () => {
    const second = (await on(0, '/v1/admin/keys', { method: 'POST', body: { name: 'Doomed', permissions: ['manage_users'] } })).body.data
    for (let server = 0; server < 3; server++) assert.equal((await request(servers[server]!, '/v1/admin/users', { key: second.key })).status, 200)
    assert.equal((await on(1, `/v1/admin/keys/${second.id}`, { method: 'DELETE' })).status, 200)
    for (let server = 0; server < 3; server++) assert.equal((await request(servers[server]!, '/v1/admin/users', { key: second.key })).status, 401)
  })
})
