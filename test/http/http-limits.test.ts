import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { MAX_BODY_BYTES } from '../../src/http/read-json-body.js'
import { sendRaw } from '../helpers/raw-http.js'
import { createTestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { tempDbPath } from '../helpers/temp-db.js'

const run = promisify(execFile)
const TOO_LARGE = `Request body exceeds ${MAX_BODY_BYTES} bytes`
const bigBody = () => JSON.stringify({ name: 'Big', metadata: { blob: 'x'.repeat(2 * 1024 * 1024) } })

for (const plain of [false, true]) {
  describe(`a 2 MiB body reaches the client as a 413 (${plain ? 'handler in a plain server' : 'createRosterServer'})`, { timeout: 120_000 }, () => {
    let server: TestServer
    let key: string
    before(async () => {
      server = await startTestServer(undefined, { plain })
      key = (await createTestTenant(server.roster)).key
    })
    after(() => server.close())

    it('with fetch, every time', async () => {
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${server.url}/v1/admin/users`, {
          method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: bigBody(),
        })
        assert.equal(response.status, 413)
        assert.deepEqual(await response.json(), { success: false, error: TOO_LARGE })
      }
    })

    it('with curl: Expect 100-continue, a plain Content-Length, and chunked', async () => {
      const file = `${tempDbPath()}.json`
      writeFileSync(file, bigBody())
      for (const extra of [[], ['-H', 'Expect:'], ['-H', 'Transfer-Encoding: chunked']]) {
        for (let i = 0; i < 2; i++) {
          const { stdout } = await run('curl', [
            '-sS', '--max-time', '20', '-o', '-', '-w', '\n%{http_code}', '-X', 'POST', '-H', `authorization: Bearer ${key}`,
            '-H', 'content-type: application/json', '--data-binary', `@${file}`, ...extra, `${server.url}/v1/admin/users`,
          ])
          const [body, status] = stdout.split('\n')
          assert.equal(status, '413', `curl ${extra.join(' ')}: ${stdout}`)
          assert.deepEqual(JSON.parse(body!), { success: false, error: TOO_LARGE })
        }
      }
    })

    it('an early 401 on a request with a body closes the connection after answering', async () => {
      const body = JSON.stringify({ name: 'x'.repeat(200_000) })
      const reply = await sendRaw(server.port, `POST /v1/admin/users HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer nope\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
      assert.equal(reply.status, 401)
      assert.equal(reply.headers['connection'], 'close')
      assert.equal(reply.closed, true)
      const fetched = await fetch(`${server.url}/v1/admin/users`, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body })
      assert.equal(fetched.status, 401)
      assert.equal(fetched.headers.get('connection'), 'close')
    })

    it('a body that trickles in slower than the body timeout gets a 408 and a closed connection', async () => {
      const slow = await startTestServer(undefined, { plain, bodyTimeoutMs: 300 })
      try {
        const tenant = await createTestTenant(slow.roster)
        const head = `POST /v1/admin/users HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${tenant.key}\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n`
        const reply = await sendRaw(slow.port, head, { trickle: ['{', '"', 'n', 'a', 'm', 'e'], intervalMs: 150, waitMs: 3000 })
        assert.equal(reply.status, 408, reply.raw)
        assert.equal(reply.closed, true)
        assert.equal((await slow.roster.users.list(tenant.principal)).total, 0)
      } finally {
        await slow.close()
      }
    })
  })
}

describe('server limits of createRosterServer', { timeout: 60_000 }, () => {
  it('headers that do not arrive within the headers timeout get a 408 and a closed connection', async () => {
    const server = await startTestServer(undefined, { headersTimeoutMs: 400 })
    try {
      const started = Date.now()
      const reply = await sendRaw(server.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\n', { trickle: ['X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3\r\n', 'X-D: 4\r\n'], intervalMs: 300, waitMs: 5000 })
      assert.equal(reply.status, 408, reply.raw)
      assert.equal(reply.closed, true)
      assert.ok(Date.now() - started < 4000, 'closed by the timeout, not by the wait')
    } finally {
      await server.close()
    }
  })

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const server = await startTestServer(undefined, { keepAliveTimeoutMs: 300 })
    try {
      const reply = await sendRaw(server.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n', { waitMs: 3000 })
      assert.equal(reply.status, 200)
      assert.equal(reply.closed, true, 'the server closed the idle connection')
    } finally {
      await server.close()
    }
  })

  it('connections past the cap are closed as they arrive, and served again once below it', async () => {
    const server = await startTestServer(undefined, { maxConnections: 2 })
    const held = await Promise.all([0, 1].map(() => new Promise<ReturnType<typeof connect>>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => resolve(socket))
    })))
    try {
      const refused = await sendRaw(server.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')
      assert.deepEqual([refused.status, refused.closed], [null, true])
      for (const socket of held) socket.destroy()
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.equal((await sendRaw(server.port, 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).status, 200)
    } finally {
      for (const socket of held) socket.destroy()
      await server.close()
    }
  })
})
