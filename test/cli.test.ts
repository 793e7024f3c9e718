import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { openRoster } from '../src/index.js'
import { listeningUrl, portClosed, runRoster, spawnCli, spawnRoster } from './helpers/cli.js'
import { holdRequest } from './helpers/held-request.js'
import { request } from './helpers/http.js'
import { BOOTSTRAP_KEY } from './helpers/roster.js'
import { tempDbPath } from './helpers/temp-db.js'

const LINE = /^roster listening on http:\/\/127\.0\.0\.1:\d+\n/
const GENERATED = /rsk_boot_[0-9A-Za-z]{40}/g

/** Creates a tenant through the bootstrap key over HTTP and returns its admin key. */
async function createTenant(url: string, bootstrapKey: string, name = 'Acme'): Promise<string> {
  const response = await request(url, '/v1/admin/keys', { method: 'POST', key: bootstrapKey, body: { entity_name: name } })
  assert.equal(response.status, 201, JSON.stringify(response.body))
  return response.body.data.key
}

describe('roster CLI', { concurrency: true, timeout: 60_000 }, () => {
  it('serve: prints one listening line, finishes a request in flight on SIGTERM, exits 0 and closes the port', async () => {
    const db = tempDbPath()
    const cli = spawnRoster(['serve', '--db', db, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(cli)
    assert.match(cli.stdout(), LINE)
    const admin = await createTenant(url, BOOTSTRAP_KEY)
    const held = await holdRequest(`${url}/v1/admin/users`, admin, { name: 'In flight' })
    cli.child.kill('SIGTERM')
    // Once the listener is gone the server is stopping; the held request must still be answered.
    while (!(await portClosed(url))) await new Promise((resolve) => setTimeout(resolve, 10))
    const response = await held.finish()
    assert.deepEqual([response.status, response.body.data.name], [201, 'In flight'])
    assert.equal(response.headers.connection, 'close')
    assert.deepEqual(await cli.exited, { code: 0, signal: null })
    assert.equal(await portClosed(url), true)
    assert.match(cli.stdout(), LINE)
    const roster = await openRoster({ path: db })
    try {
      assert.deepEqual((await roster.users.list(await roster.authenticate(admin))).users.map((u) => u.name), ['In flight'])
    } finally {
      await roster.close()
    }
  })

  it('serve: a call that has returned survives kill -9', async () => {
    const db = tempDbPath()
    const cli = spawnRoster(['serve', '--db', db, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(cli)
    const admin = await createTenant(url, BOOTSTRAP_KEY)
    const created = await request(url, '/v1/admin/users', { method: 'POST', key: admin, body: { name: 'Durable', external_id: 'd1' } })
    assert.equal(created.status, 201)
    cli.child.kill('SIGKILL')
    assert.equal((await cli.exited).signal, 'SIGKILL')
    const roster = await openRoster({ path: db })
    try {
      assert.equal((await roster.users.getByExternalId(await roster.authenticate(admin), 'd1')).id, created.body.data.id)
    } finally {
      await roster.close()
    }
  })

  it('serve: refuses a ROSTER_BOOTSTRAP_KEY under 32 characters with a clear message', async () => {
    const { code, stdout, stderr } = await runRoster(['serve', '--db', ':memory:', '--port', '0'], { ROSTER_BOOTSTRAP_KEY: 'x'.repeat(31) })
    assert.notEqual(code, 0)
    assert.equal(stdout, '')
    assert.match(stderr, /ROSTER_BOOTSTRAP_KEY must be at least 32 characters/)
  })

  it('serve: generates a bootstrap key once per database and prints it to stderr only', async () => {
    const db = tempDbPath()
    const first = spawnRoster(['serve', '--db', db, '--port', '0'])
    const url = await listeningUrl(first)
    const generated = first.stderr().match(GENERATED) ?? []
    assert.equal(generated.length, 1, first.stderr())
    assert.doesNotMatch(first.stdout(), GENERATED)
    const admin = await createTenant(url, generated[0]!)
    first.child.kill('SIGTERM')
    assert.equal((await first.exited).code, 0)

    const second = spawnRoster(['serve', '--db', db, '--port', '0'])
    const again = await listeningUrl(second)
    assert.doesNotMatch(second.stderr(), /rsk_boot_/)
    await createTenant(again, generated[0]!, 'Second')
    assert.equal((await request(again, '/v1/admin/users', { key: admin })).status, 200)
    second.child.kill('SIGINT')
    assert.deepEqual(await second.exited, { code: 0, signal: null })
  })

  it('serve: --db :memory: works, and SIGINT stops it with exit 0', async () => {
    const cli = spawnRoster(['serve', '--db', ':memory:', '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(cli)
    const admin = await createTenant(url, BOOTSTRAP_KEY)
    const created = await request(url, '/v1/admin/users', { method: 'POST', key: admin, body: { name: 'Memory' } })
    assert.equal(created.status, 201)
    cli.child.kill('SIGINT')
    assert.deepEqual(await cli.exited, { code: 0, signal: null })
    assert.equal(await portClosed(url), true)
  })

  it('keys create: prints an admin key for a new tenant that the server (with --durability normal) accepts', async () => {
    const db = tempDbPath()
    const created = await runRoster(['keys', 'create', '--entity', 'Shell Co', '--db', db])
    assert.equal(created.code, 0, created.stderr)
    const key = /rsk_admin_[0-9A-Za-z]{40}/.exec(created.stdout)?.[0]
    assert.ok(key, created.stdout)
    assert.match(created.stdout, /Shell Co/)
    const cli = spawnRoster(['serve', '--db', db, '--port', '0', '--durability', 'normal'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(cli)
    const user = await request(url, '/v1/admin/users', { method: 'POST', key, body: { name: 'From shell' } })
    assert.deepEqual([user.status, user.body.data.admin_entity_name], [201, 'Shell Co'])
    cli.child.kill('SIGTERM')
    assert.equal((await cli.exited).code, 0)
  })

  it('keys create without --entity, an unknown command or a bad port exits non-zero with a message', async () => {
    const missing = await runRoster(['keys', 'create', '--db', tempDbPath()])
    assert.notEqual(missing.code, 0)
    assert.match(missing.stderr, /--entity/)
    const unknown = await runRoster(['frobnicate'])
    assert.notEqual(unknown.code, 0)
    assert.match(unknown.stderr, /unknown command/)
    const port = await runRoster(['serve', '--db', ':memory:', '--port', 'http'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    assert.notEqual(port.code, 0)
    assert.match(port.stderr, /--port/)
    const durability = await runRoster(['serve', '--db', ':memory:', '--port', '0', '--durability', 'off'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    assert.notEqual(durability.code, 0)
    assert.match(durability.stderr, /--durability must be full or normal/)
  })

  it('--help explains both commands', async () => {
    const { code, stdout } = await runRoster(['--help'])
    assert.equal(code, 0)
    assert.match(stdout, /roster serve/)
    assert.match(stdout, /roster keys create --entity/)
    assert.match(stdout, /ROSTER_BOOTSTRAP_KEY/)
  })

  it('npm start -- --db FILE --port 0 serves, and SIGTERM to npm ends it with exit 0 and the port closed', async () => {
    const npm = spawnCli('npm', ['start', '--silent', '--', '--db', tempDbPath(), '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(npm)
    await createTenant(url, BOOTSTRAP_KEY)
    npm.child.kill('SIGTERM')
    assert.deepEqual(await npm.exited, { code: 0, signal: null })
    assert.equal(await portClosed(url), true)
  })
})
