import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { describe, it } from 'node:test'
import { listeningUrl, runRoster, spawnCompiledRoster, type CliProcess } from './helpers/cli.js'
import { request } from './helpers/http.js'
import { BOOTSTRAP_KEY } from './helpers/roster.js'
import { tempDbPath } from './helpers/temp-db.js'

const compiled = { compiled: true }

/** A TCP port that was free a moment ago (the kernel does not hand it out again at once). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Stops a server started by a test and checks it ended cleanly. */
async function stop(cli: CliProcess, url: string): Promise<void> {
  // serve prints its line just before it installs its signal handlers: a SIGTERM sent the instant the
  // line arrives can still meet the default handler. An answered request means the handlers are in place.
  assert.equal((await request(url, '/v1/admin/keys')).status, 401)
  cli.child.kill('SIGTERM')
  assert.deepEqual(await cli.exited, { code: 0, signal: null })
}

describe('CLI environment defaults: ROSTER_DB, ROSTER_PORT, ROSTER_HOST', { concurrency: true, timeout: 60_000 }, () => {
  it('serve listens on ROSTER_HOST:ROSTER_PORT over ROSTER_DB, and keys commands use ROSTER_DB', async () => {
    const db = tempDbPath()
    const port = await freePort()
    const cli = spawnCompiledRoster(['serve'], { ROSTER_DB: db, ROSTER_PORT: String(port), ROSTER_HOST: 'localhost', ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(cli)
    assert.equal(url, `http://localhost:${port}`)
    const created = await request(url, '/v1/admin/keys', { method: 'POST', key: BOOTSTRAP_KEY, body: { entity_name: 'Served' } })
    assert.equal(created.status, 201)
    await stop(cli, url)

    assert.equal((await runRoster(['keys', 'create', '--entity', 'Shell'], { ROSTER_DB: db }, compiled)).code, 0)
    const listed = await runRoster(['keys', 'list'], { ROSTER_DB: db }, compiled)
    assert.equal(listed.code, 0, listed.stderr)
    assert.deepEqual(listed.stdout.trimEnd().split('\n').slice(1).map((line) => line.split('\t')[1]), ['Served', 'Shell'])
  })

  it('flags win over the environment, which is then not even read', async () => {
    const flagDb = tempDbPath()
    const env = { ROSTER_DB: tempDbPath(), ROSTER_PORT: 'not-a-port', ROSTER_HOST: 'localhost', ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY }
    const cli = spawnCompiledRoster(['serve', '--db', flagDb, '--port', '0', '--host', '127.0.0.1'], env)
    const url = await listeningUrl(cli)
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    await stop(cli, url)
    assert.equal((await runRoster(['keys', 'create', '--entity', 'Flagged', '--db', flagDb], env, compiled)).code, 0)
    const fromFlag = await runRoster(['keys', 'list', '--db', flagDb], env, compiled)
    assert.match(fromFlag.stdout, /\tFlagged\t/)
    const fromEnv = await runRoster(['keys', 'list'], env, compiled)
    assert.equal(fromEnv.code, 1)
    assert.match(fromEnv.stderr, /no database at/)
  })

  it('a ROSTER_PORT that is no port exits non-zero naming ROSTER_PORT; an empty one means the default', async () => {
    const bad = await runRoster(['serve', '--db', ':memory:'], { ROSTER_PORT: '70000', ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY }, compiled)
    assert.notEqual(bad.code, 0)
    assert.match(bad.stderr, /ROSTER_PORT must be an integer from 0 to 65535/)
    const flag = await runRoster(['serve', '--db', ':memory:', '--port', '1.5'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY }, compiled)
    assert.notEqual(flag.code, 0)
    assert.match(flag.stderr, /--port must be an integer/)
    const empty = spawnCompiledRoster(['serve', '--db', ':memory:', '--port', '0'], { ROSTER_HOST: '', ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    const url = await listeningUrl(empty)
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    await stop(empty, url)
  })
})
