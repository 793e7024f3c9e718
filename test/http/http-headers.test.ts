import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { base32Decode, totpCode } from '../../src/core/mfa/totp.js'
import type { RequestLogEntry } from '../../src/index.js'
import { createTestAccount, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions } from '../helpers/http.js'
import { sendRaw } from '../helpers/raw-http.js'
import { BOOTSTRAP_KEY, openTestRoster } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('headers clients and proxies expect', () => {
  let server: TestServer
  let acme: TestAccount
  const log: RequestLogEntry[] = []
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })

  before(async () => {
    server = await startTestServer(undefined, { onRequest: (entry) => void log.push(entry) })
    acme = await createTestAccount(server.url)
  })
  after(() => server.close())

  it('Cache-Control: no-store on every answer that carries a secret, and not on ordinary reads', async () => {
    const key = await call('/v1/admin/keys', { method: 'POST', body: { name: 'second' } })
    const tenant = await request(server.url, '/v1/admin/keys', { method: 'POST', key: BOOTSTRAP_KEY, body: { entity_name: 'Other' } })
    const user = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Ada', email: 'ada@acme.example' } })).body.data
    const credential = await call(`/v1/admin/users/${user.id}/credentials`, { method: 'POST', body: { name: 'ci' } })
    const enrolment = await call(`/accounts/${acme.accountId}/users/${user.id}/mfa/totp`, { method: 'POST', body: {} })
    const code = totpCode(base32Decode(enrolment.body.secret)!, Date.now() / 1000)
    const recovery = await call(`/accounts/${acme.accountId}/users/${user.id}/mfa/totp/confirm`, { method: 'POST', body: { code } })
    const account = (await call(`/v1/admin/users/${user.id}`)).body.data
    const iamId = (await call(`/api/v3/iam/accounts?filter[email]=${account.email}`)).body.data[0].id
    const reset = await call(`/api/v3/iam/accounts/${iamId}/password-reset`, { method: 'POST' })
    for (const [name, response, status] of [['admin key', key, 201], ['tenant key', tenant, 201], ['credential', credential, 201],
      ['MFA enrolment', enrolment, 201], ['recovery codes', recovery, 200], ['reset token', reset, 201]] as const) {
      assert.equal(response.status, status, `${name}: ${JSON.stringify(response.body)}`)
      assert.equal(response.headers.get('cache-control'), 'no-store', name)
    }
    assert.equal((await call('/v1/admin/keys')).headers.get('cache-control'), null)
    assert.equal((await call(`/v1/admin/users/${user.id}`)).headers.get('cache-control'), null)
  })

  it('X-Content-Type-Options: nosniff on successes, errors, unknown paths and unparseable requests', async () => {
    for (const response of [await call('/v1/admin/keys'), await call('/v1/admin/users/nope'), await call('/nowhere'),
      await call('/api/v3/iam/accounts/x'), await call(`/accounts/${acme.accountId}/users`), await request(server.url, '/healthz')]) {
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', String(response.status))
    }
    const raw = await sendRaw(server.port, 'GET /a b HTTP/1.1\r\n\r\n')
    assert.deepEqual([raw.status, raw.headers['x-content-type-options']], [400, 'nosniff'])
  })

  it('WWW-Authenticate: Bearer on every 401 of every surface', async () => {
    for (const path of ['/v1/admin/users', '/api/v3/iam/accounts', `/accounts/${acme.accountId}/users`, '/v1/verify']) {
      for (const key of [undefined, 'rsk_admin_wrong']) {
        const response = await request(server.url, path, { ...(key && { key }), ...(path === '/v1/verify' && { method: 'POST', body: {} }) })
        assert.equal(response.status, 401, path)
        assert.equal(response.headers.get('www-authenticate'), 'Bearer', path)
      }
    }
    assert.equal((await call('/v1/admin/users')).headers.get('www-authenticate'), null)
  })

  it('Vary: Accept on every JSON:API answer, success or error, and only there', async () => {
    assert.equal((await call('/api/v3/iam/accounts')).headers.get('vary'), 'Accept')
    assert.equal((await call('/api/v3/iam/accounts/999999')).headers.get('vary'), 'Accept')
    assert.equal((await request(server.url, '/api/v3/iam/accounts')).headers.get('vary'), 'Accept')
    assert.equal((await call('/v1/admin/users')).headers.get('vary'), null)
  })

  it('X-Request-Id: a fresh UUID per request, or the client’s own when well-formed', async () => {
    const first = (await call('/v1/admin/users')).headers.get('x-request-id')
    const second = (await call('/v1/admin/users')).headers.get('x-request-id')
    assert.match(first ?? '', UUID)
    assert.notEqual(first, second)
    const mine = 'trace-7f3a.b9:01'
    assert.equal((await call('/v1/admin/users', { headers: { 'x-request-id': mine } })).headers.get('x-request-id'), mine)
    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon']) {
      assert.match((await call('/v1/admin/users', { headers: { 'x-request-id': bad } })).headers.get('x-request-id') ?? '', UUID)
    }
  })

  it('reports one log entry per request: route template, status, tenant and request id, never a secret', async () => {
    log.length = 0
    const created = await call('/v1/admin/users', { method: 'POST', body: { name: 'Logged', email: 'logged@acme.example' }, headers: { 'x-request-id': 'log-test-1' } })
    await call(`/v1/admin/users/${created.body.data.id}`)
    await request(server.url, '/v1/admin/users', { key: 'rsk_admin_wrong' })
    await request(server.url, '/nowhere')
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(log.map((e) => [e.method, e.route, e.status, e.tenantId]), [
      ['POST', '/v1/admin/users', 201, acme.accountId],
      ['GET', '/v1/admin/users/:id', 200, acme.accountId],
      ['GET', '/v1/admin/users', 401, null],
      ['GET', null, 404, null],
    ])
    assert.equal(log[0]!.requestId, 'log-test-1')
    for (const entry of log) {
      assert.ok(entry.durationMs >= 0 && Number.isFinite(Date.parse(entry.time)))
      const text = JSON.stringify(entry)
      for (const secret of [acme.key, 'rsk_admin_wrong', 'logged@acme.example', 'Logged']) assert.ok(!text.includes(secret), secret)
    }
  })
})

describe('health and unexpected failures', () => {
  it('GET /healthz answers 200 without a key while the store answers, 503 once it does not', async () => {
    const roster = await openTestRoster()
    const server = await startTestServer(roster)
    try {
      const ok = await request(server.url, '/healthz')
      assert.deepEqual([ok.status, ok.body, ok.headers.get('cache-control')], [200, { status: 'ok' }, 'no-store'])
      assert.equal((await request(server.url, '/healthz', { method: 'HEAD' })).status, 200)
      const post = await request(server.url, '/healthz', { method: 'POST' })
      assert.deepEqual([post.status, post.headers.get('allow')], [405, 'GET, HEAD'])
      await roster.close()
      const down = await request(server.url, '/healthz')
      assert.deepEqual([down.status, down.body], [503, { status: 'unavailable' }])
    } finally {
      await server.close()
    }
  })

  it('a fault below the core is a 500 in each surface’s envelope, reported once with the request id', async () => {
    const reported: [unknown, string][] = []
    const roster = await openTestRoster()
    const server = await startTestServer(roster, { plain: true, onUnexpectedError: (error, _req, id) => void reported.push([error, id]) })
    try {
      const acme = await createTestAccount(server.url)
      // A store closed under the server fails every query: the nearest thing to a bug that can be made on purpose.
      await roster.close()
      const admin = await request(server.url, '/v1/admin/users', { key: acme.key })
      assert.deepEqual([admin.status, admin.body], [500, { success: false, error: 'Internal server error' }])
      const iam = await request(server.url, '/api/v3/iam/accounts', { key: acme.key })
      assert.deepEqual([iam.status, iam.body.errors[0].status, iam.body.errors[0].code], [500, '500', 'internal_error'])
      const users = await request(server.url, `/accounts/${acme.accountId}/users`, { key: acme.key })
      assert.deepEqual([users.status, users.body.errors[0].code], [500, 'internal_error'])
      assert.deepEqual(reported.map(([, id]) => id), [admin, iam, users].map((r) => r.headers.get('x-request-id')))
      assert.ok(reported.every(([error]) => error instanceof Error))
    } finally {
      await server.close().catch(() => {})
    }
  })
})
