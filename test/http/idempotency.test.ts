import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { after, before, describe, it } from 'node:test'
import { createTestAccount, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions, type TestResponse } from '../helpers/http.js'
import { jsonApiError } from '../helpers/json-api.js'
import { BOOTSTRAP_KEY, createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { tempDbPath } from '../helpers/temp-db.js'

const REPLAYED = 'idempotent-replayed'
const REUSED = 'Idempotency-Key was already used with a different request: send a new key for a new request'
const IN_USE = 'A request with this Idempotency-Key is still being processed: retry later'
let counter = 0
const freshKey = () => `key-${process.pid}-${++counter}`

describe('Idempotency-Key on the admin surface', () => {
  let server: TestServer
  let acme: TestTenant
  let path: string
  const post = (route: string, idempotencyKey: string | undefined, body: unknown, options: RequestOptions = {}) =>
    request(server.url, route, {
      method: 'POST', key: acme.key, body, ...options,
      headers: { ...(idempotencyKey !== undefined && { 'idempotency-key': idempotencyKey }), ...options.headers },
    })
  const userCount = async () => (await server.roster.users.list(acme.principal, { count: true })).total ?? -1

  before(async () => {
    path = tempDbPath()
    server = await startTestServer(await openTestRoster({ path, idempotency: { waitMs: 200 } }))
    acme = await createTestTenant(server.roster, 'Acme')
  })
  after(() => server.close())

  it('a retry with the same key and request gets the first answer again, marked replayed, and creates nothing', async () => {
    const key = freshKey()
    const before = await userCount()
    const first = await post('/v1/admin/users', key, { name: 'Once', email: 'once@acme.com' })
    assert.equal(first.status, 201)
    assert.equal(first.headers.get(REPLAYED), null)
    const again = await post('/v1/admin/users', key, { name: 'Once', email: 'once@acme.com' })
    assert.deepEqual([again.status, again.headers.get(REPLAYED), again.body], [201, 'true', first.body])
    assert.equal(again.headers.get('content-type'), first.headers.get('content-type'))
    assert.equal(await userCount(), before + 1)
  })

  it('the key may be sent bare or as a structured-field string: both name the same key', async () => {
    const key = freshKey()
    const first = await post('/v1/admin/users', key, { name: 'Quoted' })
    const again = await post('/v1/admin/users', `"${key}"`, { name: 'Quoted' })
    assert.deepEqual([again.status, again.headers.get(REPLAYED), again.body.data.id], [201, 'true', first.body.data.id])
  })

  it('the same key with a different body or path: 422 in the admin envelope, and nothing runs', async () => {
    const key = freshKey()
    assert.equal((await post('/v1/admin/users', key, { name: 'First' })).status, 201)
    const before = await userCount()
    const other = await post('/v1/admin/users', key, { name: 'Second' })
    assert.deepEqual([other.status, other.body], [422, { success: false, error: REUSED }])
    const elsewhere = await post('/v1/admin/keys', key, { name: 'Ops' })
    assert.deepEqual([elsewhere.status, elsewhere.body], [422, { success: false, error: REUSED }])
    assert.equal(await userCount(), before)
  })

  it('keys are scoped to the authenticating key: another key of the tenant, or another tenant, runs its own request', async () => {
    const key = freshKey()
    const mine = await post('/v1/admin/users', key, { name: 'Scoped' })
    const second = await server.roster.keys.create(acme.principal, { name: 'Second' })
    const theirs = await post('/v1/admin/users', key, { name: 'Scoped' }, { key: second.secret })
    const other = await createTestTenant(server.roster, `Other ${key}`)
    const foreign = await post('/v1/admin/users', key, { name: 'Scoped' }, { key: other.key })
    for (const response of [theirs, foreign]) assert.deepEqual([response.status, response.headers.get(REPLAYED)], [201, null])
    assert.equal(new Set([mine.body.data.id, theirs.body.data.id, foreign.body.data.id]).size, 3)
  })

  it('a malformed key: 400 naming the header, before anything runs', async () => {
    const before = await userCount()
    for (const [value, why] of [
      ['', 'must not be empty'], ['""', 'must not be empty'], ['x'.repeat(256), 'must be at most 255 characters'],
      ['has space', 'must be visible ASCII'], ['back\\slash', 'must be visible ASCII'], ['"a"b"', 'must be visible ASCII'],
    ] as const) {
      const response = await post('/v1/admin/users', value, { name: 'Never' })
      assert.equal(response.status, 400, value)
      assert.equal(response.body.success, false)
      assert.match(response.body.error, new RegExp(`^Idempotency-Key header ${why}`))
    }
    assert.equal((await post('/v1/admin/users', 'x'.repeat(255), { name: 'Longest' })).status, 201)
    assert.equal(await userCount(), before + 1)
  })

  it('the header given twice: 400', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request: raw }) => {
        const payload = JSON.stringify({ name: 'Twice' })
        const req = raw(`${server.url}/v1/admin/users`, {
          method: 'POST',
          headers: [['authorization', `Bearer ${acme.key}`], ['content-type', 'application/json'], ['idempotency-key', 'a'], ['idempotency-key', 'b']].flat(),
        }, (res) => { res.resume(); resolve(res.statusCode ?? 0) })
        req.on('error', reject)
        req.end(payload)
      }, reject)
    })
    assert.equal(response, 400)
  })

  it('a request that fails authentication is never kept: the same key then runs for a valid key', async () => {
    const key = freshKey()
    const refused = await post('/v1/admin/users', key, { name: 'Late' }, { key: 'rsk_admin_nope' })
    assert.equal(refused.status, 401)
    const later = await post('/v1/admin/users', key, { name: 'Late' })
    assert.deepEqual([later.status, later.headers.get(REPLAYED)], [201, null])
  })

  it('a failure the route answered is kept too: a retry of a 409 gets the 409 again', async () => {
    await post('/v1/admin/users', undefined, { name: 'Taken', email: 'taken@acme.com' })
    const key = freshKey()
    const first = await post('/v1/admin/users', key, { name: 'Taken', email: 'taken@acme.com' })
    const again = await post('/v1/admin/users', key, { name: 'Taken', email: 'taken@acme.com' })
    assert.equal(first.status, 409)
    assert.deepEqual([again.status, again.headers.get(REPLAYED), again.body], [409, 'true', first.body])
  })

  it('50 concurrent retries of a create: exactly one user, 50 identical answers, one of them not replayed', async () => {
    const key = freshKey()
    const before = await userCount()
    const body = { name: 'Racer', email: `${key}@acme.com` }
    const responses = await Promise.all(Array.from({ length: 50 }, () => post('/v1/admin/users', key, body)))
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([201]))
    assert.equal(new Set(responses.map((r) => JSON.stringify(r.body))).size, 1)
    assert.equal(responses.filter((r) => r.headers.get(REPLAYED) === null).length, 1)
    assert.equal(responses.filter((r) => r.headers.get(REPLAYED) === 'true').length, 49)
    assert.equal(await userCount(), before + 1)
  })

  it('a retry while the first request still runs waits, then gets 409 with Retry-After', async () => {
    const key = freshKey()
    const payload = JSON.stringify({ name: 'Slow' })
    // The first request, still running: claimed through the library with the same key, secret and request.
    const first = await server.roster.idempotency.begin(acme.principal, acme.key, key,
      { method: 'POST', target: '/v1/admin/users', body: Buffer.from(payload) })
    assert.equal(first.kind, 'run')
    const retry = await post('/v1/admin/users', key, undefined, { raw: payload, headers: { 'content-type': 'application/json' } })
    assert.deepEqual([retry.status, retry.body, retry.headers.get('retry-after')], [409, { success: false, error: IN_USE }, '1'])
    if (first.kind === 'run') await first.abandon()
    const now = await post('/v1/admin/users', key, undefined, { raw: payload, headers: { 'content-type': 'application/json' } })
    assert.deepEqual([now.status, now.headers.get(REPLAYED)], [201, null])
  })

  it('a secret shown once is replayed to the retry, never stored in clear: neither the secret nor the key is in the file', async () => {
    const key = freshKey()
    const first = await post('/v1/admin/keys', key, { name: 'Replayed' })
    const again = await post('/v1/admin/keys', key, { name: 'Replayed' })
    assert.equal(first.status, 201)
    assert.deepEqual([again.headers.get(REPLAYED), again.body, again.headers.get('cache-control')], ['true', first.body, 'no-store'])
    const bootstrapped = await post('/v1/admin/keys', key, { entity_name: `Tenant ${key}` }, { key: BOOTSTRAP_KEY })
    const bootstrapAgain = await post('/v1/admin/keys', key, { entity_name: `Tenant ${key}` }, { key: BOOTSTRAP_KEY })
    assert.deepEqual([bootstrapAgain.headers.get(REPLAYED), bootstrapAgain.body], ['true', bootstrapped.body])
    const file = new Database(path, { readonly: true })
    try {
      const rows = file.prepare('select * from idempotency_keys').all() as Record<string, unknown>[]
      assert.ok(rows.length >= 2)
      const stored = JSON.stringify(rows)
      for (const secret of [first.body.data.key, bootstrapped.body.data.key, key, 'Replayed']) assert.equal(stored.includes(secret), false, secret)
    } finally {
      file.close()
    }
  })
})

describe('Idempotency-Key on the IAM and account-users surfaces', () => {
  let server: TestServer
  let acme: TestAccount
  const post = (route: string, idempotencyKey: string, body: unknown) =>
    request(server.url, route, { method: 'POST', key: acme.key, body, headers: { 'idempotency-key': idempotencyKey } })
  const accountDoc = (email: string) => ({ data: { type: 'accounts', attributes: { email } } })

  before(async () => {
    server = await startTestServer(await openTestRoster({ idempotency: { waitMs: 200 } }))
    acme = await createTestAccount(server.url)
  })
  after(() => server.close())

  const replays = (first: TestResponse, again: TestResponse, status: number) => {
    assert.deepEqual([first.status, first.headers.get(REPLAYED)], [status, null])
    assert.deepEqual([again.status, again.headers.get(REPLAYED), again.body], [status, 'true', first.body])
    assert.equal(again.headers.get('location'), first.headers.get('location'))
    assert.equal(again.headers.get('content-type'), first.headers.get('content-type'))
  }

  it('IAM: a retried account create is replayed with its Location; a different document is 422 pointing at the header', async () => {
    const key = freshKey()
    const first = await post('/api/v3/iam/accounts', key, accountDoc('iam@acme.com'))
    replays(first, await post('/api/v3/iam/accounts', key, accountDoc('iam@acme.com')), 201)
    const reused = jsonApiError(await post('/api/v3/iam/accounts', key, accountDoc('other@acme.com')), 422, 'idempotency_key_reused')
    assert.deepEqual([reused.detail, reused.source, reused.title], [REUSED, { header: 'Idempotency-Key' }, 'Unprocessable Entity'])
    const bad = jsonApiError(await post('/api/v3/iam/accounts', 'no spaces allowed', accountDoc('x@acme.com')), 400, 'invalid_header')
    assert.deepEqual(bad.source, { header: 'Idempotency-Key' })
    const list = await request(server.url, '/api/v3/iam/accounts?filter[email]=iam@acme.com', { key: acme.key })
    assert.equal(list.body.data.length, 1)
  })

  it('IAM: a busy key is 409 in a JSON:API error document pointing at the header', async () => {
    const key = freshKey()
    const document = accountDoc('busy-iam@acme.com')
    const principal = await server.roster.authenticate(acme.key)
    const first = await server.roster.idempotency.begin(principal, acme.key, key,
      { method: 'POST', target: '/api/v3/iam/accounts', body: Buffer.from(JSON.stringify(document)) })
    const retry = await post('/api/v3/iam/accounts', key, document)
    if (first.kind === 'run') await first.abandon()
    const error = jsonApiError(retry, 409, 'idempotency_key_in_use')
    assert.deepEqual([error.detail, error.source, retry.headers.get('retry-after')], [IN_USE, { header: 'Idempotency-Key' }, '1'])
  })

  it('IAM: 50 concurrent retries of an account create make one account', async () => {
    const key = freshKey()
    const responses = await Promise.all(Array.from({ length: 50 }, () => post('/api/v3/iam/accounts', key, accountDoc('race@acme.com'))))
    assert.equal(new Set(responses.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).size, 1)
    assert.equal(responses.filter((r) => r.headers.get(REPLAYED) === null).length, 1)
    const list = await request(server.url, '/api/v3/iam/accounts?filter[email]=race@acme.com', { key: acme.key })
    assert.equal(list.body.data.length, 1)
  })

  it('account users: a retried user create is replayed; a different body is 422 in the {errors} envelope', async () => {
    const key = freshKey()
    const route = `/accounts/${acme.accountId}/users`
    const body = { email_address: 'au@acme.com', first_name: 'Au', last_name: 'User' }
    const first = await post(route, key, body)
    replays(first, await post(route, key, body), 201)
    const reused = await post(route, key, { ...body, first_name: 'Other' })
    assert.deepEqual([reused.status, reused.body], [422, {
      errors: [{ status: '422', code: 'idempotency_key_reused', title: 'Unprocessable Entity', detail: REUSED, source: { header: 'Idempotency-Key' } }],
    }])
    const bad = await post(route, 'x'.repeat(300), body)
    assert.equal(bad.status, 400)
    assert.deepEqual(bad.body.errors[0].source, { header: 'Idempotency-Key' })
    assert.equal(bad.body.errors[0].code, 'invalid_header')
  })

  it('account users: 50 concurrent retries of a user create make one user', async () => {
    const key = freshKey()
    const route = `/accounts/${acme.accountId}/users`
    const body = { email_address: 'racer@acme.com', first_name: 'Race', last_name: 'User' }
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(route, key, body)))
    assert.equal(new Set(responses.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).size, 1)
    assert.equal(responses[0]!.status, 201)
    assert.equal(responses.filter((r) => r.headers.get(REPLAYED) === null).length, 1)
    const list = await request(server.url, `${route}?limit=100`, { key: acme.key })
    assert.equal(list.body.users.filter((u: any) => u.email_address === 'racer@acme.com').length, 1)
  })

  it('account users: a busy key is 409 in the {errors} envelope', async () => {
    const key = freshKey()
    const route = `/accounts/${acme.accountId}/users`
    const body = { email_address: 'busy@acme.com', first_name: 'Busy', last_name: 'User' }
    const principal = await server.roster.authenticate(acme.key)
    const first = await server.roster.idempotency.begin(principal, acme.key, key,
      { method: 'POST', target: route, body: Buffer.from(JSON.stringify(body)) })
    const retry = await post(route, key, body)
    if (first.kind === 'run') await first.abandon()
    assert.equal(retry.status, 409)
    assert.deepEqual(retry.body.errors[0], { status: '409', code: 'idempotency_key_in_use', title: 'Conflict', detail: IN_USE, source: { header: 'Idempotency-Key' } })
  })
})
