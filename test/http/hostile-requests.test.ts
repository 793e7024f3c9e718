import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MAX_QUERY_PARAMETERS, MAX_TARGET_LENGTH } from '../../src/http/request-target.js'
import { sendRaw } from '../helpers/raw-http.js'
import { createTestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

interface HostileCase {
  readonly name: string
  /** The request; `KEY` is replaced by a valid admin key, `TENANT` by its tenant's id. */
  readonly bytes: string
  readonly status: number
  /** Text the answer's body must contain. */
  readonly says?: string
}

const HOST = 'Host: roster.test\r\n'
const get = (target: string, headers = '') => `GET ${target} HTTP/1.1\r\n${HOST}${headers}Connection: close\r\n\r\n`
const post = (target: string, body: string, method = 'POST', headers = 'Authorization: Bearer KEY\r\n') =>
  `${method} ${target} HTTP/1.1\r\n${HOST}${headers}Content-Type: application/vnd.api+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
const nestedArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`

// Every case of issue 9's point 1 and more; each must get its 4xx and leave the server answering.
const CASES: readonly HostileCase[] = [
  { name: 'origin-form path that reads as a host and bad port (//a:99999/)', bytes: get('//a:99999/'), status: 404 },
  { name: 'absolute-form with a port past 65535', bytes: get('http://a:99999/v1/admin/users'), status: 400, says: 'Malformed request target' },
  { name: 'absolute-form with an unparseable host', bytes: get('http://[zz/healthz'), status: 400 },
  { name: 'authority-form on GET', bytes: get('roster.test:80'), status: 400 },
  { name: 'authority-form CONNECT', bytes: `CONNECT roster.test:443 HTTP/1.1\r\n${HOST}\r\n`, status: 405, says: 'CONNECT is not supported' },
  { name: 'asterisk-form', bytes: `OPTIONS * HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`, status: 400 },
  { name: 'invalid percent-encoding in the query', bytes: get('/v1/admin/users?q=%zz'), status: 400, says: 'percent-encoding' },
  { name: 'truncated percent-encoding in the query', bytes: get('/api/v3/iam/accounts?filter[email]=%E'), status: 400 },
  { name: 'invalid percent-encoding in an id', bytes: get('/v1/admin/users/%zz', 'Authorization: Bearer KEY\r\n'), status: 404 },
  { name: 'encoded NUL in the query', bytes: get('/v1/admin/users?q=a%00b'), status: 400, says: 'control characters' },
  { name: 'encoded NUL in an id', bytes: get('/v1/admin/users/%00', 'Authorization: Bearer KEY\r\n'), status: 404 },
  { name: '64 KiB path', bytes: get(`/${'a'.repeat(64 * 1024)}`), status: 431 },
  { name: 'path longer than the target limit', bytes: get(`/v1/admin/users/${'a'.repeat(MAX_TARGET_LENGTH)}`), status: 414 },
  { name: 'thousands of query parameters', bytes: get(`/v1/admin/users?${'a=&'.repeat(2000)}`), status: 400, says: `${MAX_QUERY_PARAMETERS} query parameters` },
  { name: 'thousands of IAM filters', bytes: get(`/api/v3/iam/accounts?${Array.from({ length: 600 }, (_, i) => `filter[${i}]=`).join('&')}`), status: 400 },
  { name: 'Authorization twice', bytes: get('/v1/admin/users', 'Authorization: Bearer KEY\r\nAuthorization: Bearer other\r\n'), status: 400, says: 'more than once' },
  { name: 'X-API-Key twice', bytes: get('/v1/admin/users', 'X-API-Key: KEY\r\nX-API-Key: KEY\r\n'), status: 400, says: 'more than once' },
  { name: 'Authorization and X-API-Key naming different keys', bytes: get('/v1/admin/users', 'Authorization: Bearer KEY\r\nX-API-Key: other\r\n'), status: 400 },
  { name: '8 KiB bearer key', bytes: get('/v1/admin/users', `Authorization: Bearer ${'k'.repeat(8 * 1024)}\r\n`), status: 401 },
  { name: '20 KiB of headers', bytes: get('/v1/admin/users', `X-Pad: ${'p'.repeat(20 * 1024)}\r\n`), status: 431 },
  { name: 'unknown method', bytes: `BREW /healthz HTTP/1.1\r\n${HOST}\r\n`, status: 400 },
  { name: 'known method no route takes', bytes: `PROPFIND /v1/admin/users HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`, status: 405 },
  { name: 'TRACE', bytes: `TRACE /api/v3/iam/accounts HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`, status: 405 },
  { name: 'Content-Length that is not a number', bytes: `POST /v1/admin/users HTTP/1.1\r\n${HOST}Content-Length: abc\r\n\r\n`, status: 400 },
  { name: 'two different Content-Lengths', bytes: `POST /v1/admin/users HTTP/1.1\r\n${HOST}Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef`, status: 400 },
  { name: 'Content-Length with Transfer-Encoding (smuggling)', bytes: `POST /v1/admin/users HTTP/1.1\r\n${HOST}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, status: 400 },
  { name: 'chunk size that is not hex', bytes: `POST /v1/admin/users HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n`, status: 400 },
  { name: 'unknown transfer coding', bytes: `POST /v1/admin/users HTTP/1.1\r\n${HOST}Transfer-Encoding: gzip\r\n\r\nabc`, status: 400 },
  { name: 'header line without a colon', bytes: `GET /healthz HTTP/1.1\r\n${HOST}Broken header\r\n\r\n`, status: 400 },
  { name: 'obsolete header folding', bytes: `GET /healthz HTTP/1.1\r\n${HOST}X-A: a\r\n b\r\n\r\n`, status: 400 },
  { name: 'NUL inside a header value', bytes: `GET /healthz HTTP/1.1\r\n${HOST}X-A: a\0b\r\n\r\n`, status: 400 },
  { name: 'bare LF line endings', bytes: 'GET /healthz HTTP/1.1\nHost: roster.test\n\n', status: 400 },
  { name: 'space inside the target', bytes: `GET /v1/admin users HTTP/1.1\r\n${HOST}\r\n`, status: 400 },
  { name: 'HTTP/3.0 on the request line', bytes: `GET /healthz HTTP/3.0\r\n${HOST}\r\n`, status: 400 },
  { name: 'HTTP/2 preface', bytes: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', status: 400 },
  { name: 'binary garbage', bytes: '\u0000\u0001\u00ff\u00fe\r\n\r\n', status: 400 },
  { name: 'JSON:API data.id nested 100,000 deep', bytes: post('/api/v3/iam/accounts/1', `{"data":{"type":"accounts","id":${nestedArray(100_000)}}}`, 'PATCH'), status: 400, says: 'nests deeper' },
  { name: 'JSON:API data.type nested 100,000 deep', bytes: post('/api/v3/iam/accounts', `{"data":{"type":${nestedArray(100_000)}}}`), status: 400, says: 'nests deeper' },
  { name: 'JSON:API data.id an array', bytes: post('/api/v3/iam/accounts', '{"data":{"type":"accounts","id":[["1"]]}}'), status: 400, says: '/data/id must be a string' },
  { name: 'JSON:API data.type an object', bytes: post('/api/v3/iam/accounts', '{"data":{"type":{"a":1}}}'), status: 400 },
  { name: 'JSON:API person id an array', bytes: post('/api/v3/iam/accounts', '{"data":{"type":"accounts","attributes":{"email":"p@x.org"},"relationships":{"person":{"data":{"type":"people","id":[[1]]}}}}}'), status: 400 },
  { name: 'admin body nested 100,000 deep', bytes: post('/v1/admin/users', `{"name":${nestedArray(100_000)}}`), status: 400 },
  { name: 'account-users body nested 100,000 deep', bytes: post('/accounts/TENANT/users', `{"email_address":${nestedArray(100_000)}}`), status: 400 },
  { name: 'read-only attribute an array nested deep', bytes: post('/api/v3/iam/accounts', `{"data":{"type":"accounts","attributes":{"email":"d@x.org","created_at":${nestedArray(100)}}}}`), status: 403 },
  { name: 'body announced larger than it is, then silence', bytes: `POST /v1/admin/users HTTP/1.1\r\n${HOST}Authorization: Bearer KEY\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"name"`, status: 408 },
]

describe('hostile requests over raw sockets', { timeout: 120_000 }, () => {
  let server: TestServer
  let key: string
  let tenantId: string

  before(async () => {
    // Short body timeout so the silent-body case answers quickly.
    server = await startTestServer(undefined, { bodyTimeoutMs: 500 })
    ;({ key, tenantId } = await createTestTenant(server.roster))
  })
  after(() => server.close())

  for (const hostile of CASES) {
    it(`${hostile.name} → ${hostile.status}, and the server still answers`, async (t) => {
      const reply = await sendRaw(server.port, hostile.bytes.replaceAll('KEY', key).replaceAll('TENANT', tenantId), { waitMs: 3000 })
      assert.equal(reply.status, hostile.status, reply.raw.slice(0, 300))
      if (hostile.says) assert.ok(reply.body.includes(hostile.says), reply.body)
      assert.match(reply.headers['content-type'] ?? '', /json/)
      t.diagnostic(`${hostile.status} ${hostile.name}`)
      const health = await sendRaw(server.port, get('/healthz'))
      assert.equal(health.status, 200, health.raw)
      assert.deepEqual(JSON.parse(health.body), { status: 'ok' })
    })
  }

  it('a body cut off mid-request by the client leaves no trace and the server answering', async () => {
    const before = (await server.roster.users.list(await server.roster.authenticate(key))).total
    const bytes = `POST /v1/admin/users HTTP/1.1\r\n${HOST}Authorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"half`
    await sendRaw(server.port, bytes, { waitMs: 200 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal((await server.roster.users.list(await server.roster.authenticate(key))).total, before)
    assert.equal((await sendRaw(server.port, get('/healthz'))).status, 200)
  })

  it('no hostile case reached the handler as an unexpected error', () => {
    assert.deepEqual(server.errors, [])
  })
})
