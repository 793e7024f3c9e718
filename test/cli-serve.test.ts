import assert from 'node:assert/strict'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { describe, it } from 'node:test'
import { openRoster } from '../src/index.js'
import { listeningUrl, runRoster, spawnRoster } from './helpers/cli.js'
import { request } from './helpers/http.js'
import { BOOTSTRAP_KEY } from './helpers/roster.js'
import { tempDbPath } from './helpers/temp-db.js'

// Root may open anything: the permission cases run the CLI as `nobody` when the tests run as root.
const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}

/** Asserts a failed start: exit 1, nothing on stdout, one line on stderr matching `message`, no stack trace. */
function assertOneLineFailure(result: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  assert.equal(result.code, 1, result.stderr)
  assert.equal(result.stdout, '')
  const lines = result.stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, result.stderr)
  assert.match(lines[0]!, /^roster: /)
  assert.match(lines[0]!, message)
  assert.doesNotMatch(result.stderr, /\n\s+at /)
}

describe('roster serve: request log and start-up failures', { concurrency: true, timeout: 60_000 }, () => {
  it('logs one JSON line per request after the listening line, with the request id and no secret', async () => {
    const cli = spawnRoster(['serve', '--db', ':memory:', '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(cli)
    const tenant = await request(url, '/v1/admin/keys', { method: 'POST', key: BOOTSTRAP_KEY, body: { entity_name: 'Logs' } })
    const key = tenant.body.data.key as string
    await request(url, '/v1/admin/users', { method: 'POST', key, body: { name: 'Secret Name' }, headers: { 'x-request-id': 'req-42' } })
    while (cli.stdout().trimEnd().split('\n').length < 3) await once(cli.child.stdout!, 'data')
    cli.child.kill('SIGTERM')
    await cli.exited
    const [listening, ...lines] = cli.stdout().trimEnd().split('\n')
    assert.match(listening!, /^roster listening on /)
    const entries = lines.map((line) => JSON.parse(line))
    assert.deepEqual(entries.map((e) => [e.method, e.route, e.status]), [['POST', '/v1/admin/keys', 201], ['POST', '/v1/admin/users', 201]])
    assert.deepEqual(Object.keys(entries[1]), ['time', 'request_id', 'method', 'route', 'status', 'duration_ms', 'tenant_id'])
    assert.equal(entries[1].request_id, 'req-42')
    assert.equal(entries[1].tenant_id, tenant.body.data.tenant_id)
    for (const secret of [BOOTSTRAP_KEY, key, 'Secret Name']) assert.ok(!cli.stdout().includes(secret), secret)
  })

  it('--quiet prints the listening line and nothing per request', async () => {
    const cli = spawnRoster(['serve', '--db', ':memory:', '--port', '0', '--quiet'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(cli)
    assert.equal((await request(url, '/healthz')).status, 200)
    assert.equal((await request(url, '/v1/admin/users')).status, 401)
    cli.child.kill('SIGTERM')
    await cli.exited
    assert.match(cli.stdout(), /^roster listening on http:\/\/127\.0\.0\.1:\d+\n$/)
  })

  it('a database folder that does not exist: one line, exit 1', async () => {
    const result = await runRoster(['serve', '--db', '/nonexistent-folder/roster.db', '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    assertOneLineFailure(result, /cannot open the database at \/nonexistent-folder\/roster\.db: its folder does not exist/)
  })

  it('a file that is not a database: one line, exit 1, and the file is left alone', async () => {
    const path = tempDbPath()
    const text = 'these are notes, not a database\n'.repeat(100)
    writeFileSync(path, text)
    const result = await runRoster(['serve', '--db', path, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    assertOneLineFailure(result, /is not an SQLite database/)
  })

  it('a database that cannot be read for lack of permission: one line, exit 1', async () => {
    const path = tempDbPath()
    await (await openRoster({ path })).close()
    const result = await runRoster(['serve', '--db', path, '--port', '0'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY }, { as: UNPRIVILEGED })
    assertOneLineFailure(result, /permission denied/)
  })

  it('a port that needs privileges: one line, exit 1', async () => {
    const result = await runRoster(['serve', '--db', ':memory:', '--port', '80'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY }, { as: UNPRIVILEGED })
    assertOneLineFailure(result, /cannot listen on 127\.0\.0\.1:80: permission denied/)
  })

  it('a port in use: one line, exit 1, and the bootstrap key is not generated until a start succeeds', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    const db = tempDbPath()
    try {
      // A secret key given, so roster creates no key file and its notice is not among the output.
      const result = await runRoster(['serve', '--db', db, '--port', String(port)], { ROSTER_SECRET_KEY: 's'.repeat(40) })
      assertOneLineFailure(result, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`))
      assert.doesNotMatch(result.stderr, /rsk_boot_/)
    } finally {
      blocker.close()
    }
    const roster = await openRoster({ path: db, secretKey: 's'.repeat(40) })
    // ensureKey generates only where none exists: the failed start saved none.
    const generated = await roster.bootstrap.ensureKey()
    await roster.close()
    assert.match(generated ?? '', /^rsk_boot_/)
  })

  it('limit flags must be positive numbers', async () => {
    for (const [flag, value] of [['--request-timeout', 'soon'], ['--headers-timeout', '0'], ['--keep-alive-timeout', '-1'], ['--max-connections', '2.5']]) {
      const result = await runRoster(['serve', '--db', ':memory:', '--port', '0', flag!, value!], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
      assert.equal(result.code, 1)
      assert.match(result.stderr, new RegExp(flag!))
    }
  })
})
