import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { listeningUrl, runRoster, spawnCompiledRoster, spawnRoster } from './helpers/cli.js'
import { request } from './helpers/http.js'
import { BOOTSTRAP_KEY } from './helpers/roster.js'

describe('roster serve --console', { concurrency: true, timeout: 60_000 }, () => {
  for (const [how, spawn] of [['sources', spawnRoster], ['compiled CLI', spawnCompiledRoster]] as const) {
    it(`serves the console at /console/ and says where (${how})`, async () => {
      const cli = spawn(['serve', '--db', ':memory:', '--port', '0', '--quiet', '--console'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
      try {
        const url = await listeningUrl(cli)
        const page = await request(url, '/console/')
        assert.equal(page.status, 200)
        assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8')
        assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/)
        // The APIs are served beside it as ever.
        assert.equal((await request(url, '/healthz')).status, 200)
        assert.ok(cli.stderr().includes(`roster: admin console at ${url}/console/\n`), cli.stderr())
      } finally {
        cli.child.kill('SIGTERM')
        assert.equal((await cli.exited).code, 0)
      }
    })
  }

  it('serves nothing at /console/ without the flag', async () => {
    const cli = spawnRoster(['serve', '--db', ':memory:', '--port', '0', '--quiet'], { ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY })
    try {
      const url = await listeningUrl(cli)
      const page = await request(url, '/console/')
      assert.deepEqual([page.status, page.body], [404, { error: 'Not found' }])
      assert.doesNotMatch(cli.stderr(), /admin console/)
    } finally {
      cli.child.kill('SIGTERM')
      await cli.exited
    }
  })

  it('is listed in --help', async () => {
    const { code, stdout } = await runRoster(['--help'])
    assert.equal(code, 0)
    assert.match(stdout, /roster serve [^\n]*\n\s+\[--console\]/)
    assert.match(stdout, /--console also serves the admin console at \/console\//)
  })
})
