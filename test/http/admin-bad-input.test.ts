import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { MAX_JSON_DEPTH } from '../../src/http/read-json-body.js'
import { request } from '../helpers/http.js'
import { createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const MIB = 1024 * 1024

/** POSTs `chunks` with chunked transfer encoding (no Content-Length), so only the bytes read can reveal the size. */
function postChunked(url: string, key: string, chunks: string[]): Promise<{ status: number | undefined; body: any }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let text = ''
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    const pump = (): void => {
      for (let next = chunks.shift(); next !== undefined; next = chunks.shift()) if (!req.write(next)) return void req.once('drain', pump)
      req.end()
    }
    pump()
  })
}

describe('admin surface: bad input', () => {
  let server: TestServer
  let acme: TestTenant
  let beta: TestTenant
  let userId: string
  const call = (path: string, options: Parameters<typeof request>[2] = {}) => request(server.url, path, { key: acme.key, ...options })
  const expectError = async (response: ReturnType<typeof request>, status: number, error: string | RegExp) => {
    const { status: actual, body } = await response
    assert.equal(actual, status, JSON.stringify(body))
    assert.equal(body.success, false)
    if (typeof error === 'string') assert.equal(body.error, error)
    else assert.match(body.error, error)
  }
  const createUser = (body: unknown) => call('/v1/admin/users', { method: 'POST', body })

  before(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
    beta = await createTestTenant(server.roster, 'Beta')
    userId = (await createUser({ name: 'Existing', email: 'Taken@x.com', external_id: 'taken' })).body.data.id
  })
  after(() => server.close())

  it('malformed JSON is 400, a non-JSON content type 415, a body over 1 MiB 413', async () => {
    const headers = { 'content-type': 'application/json' }
    await expectError(call('/v1/admin/users', { method: 'POST', raw: '{"name": "x",', headers }), 400, 'Malformed JSON body')
    await expectError(call('/v1/admin/users', { method: 'POST', raw: '{"name": "x"}', headers: { 'content-type': 'text/plain' } }), 415, /Content-Type/)
    await expectError(call('/v1/admin/users', { method: 'POST', raw: '{"name": "x"}' }), 415, /Content-Type/)
    const huge = JSON.stringify({ name: 'Big', metadata: { blob: 'x'.repeat(MIB) } })
    await expectError(call('/v1/admin/users', { method: 'POST', raw: huge, headers }), 413, /exceeds/)
    const ok = await call('/v1/admin/users', { method: 'POST', raw: '{"name":"Typed"}', headers: { 'content-type': 'application/json; charset=utf-8' } })
    assert.equal(ok.status, 201)
  })

  it('a streamed body over 1 MiB without Content-Length is 413 too', async () => {
    const chunks = ['{"name":"Big","metadata":{"blob":"', ...Array.from({ length: 17 }, () => 'x'.repeat(64 * 1024)), '"}}']
    const response = await postChunked(`${server.url}/v1/admin/users`, acme.key, chunks)
    assert.deepEqual([response.status, response.body.success], [413, false])
    const small = await postChunked(`${server.url}/v1/admin/users`, acme.key, ['{"name":', '"Streamed"}'])
    assert.deepEqual([small.status, small.body.data.name], [201, 'Streamed'])
  })

  it('a body that is not an object is 400', async () => {
    for (const raw of ['[]', '"text"', '42', 'true']) {
      await expectError(call('/v1/admin/users', { method: 'POST', raw, headers: { 'content-type': 'application/json' } }), 400, /.+/)
    }
  })

  it('unknown fields, long names, bad metadata and bad emails are 400 naming the field', async () => {
    await expectError(createUser({ name: 'U', nickname: 'x' }), 400, 'Unknown field: nickname')
    await expectError(createUser({ name: 'U', externalId: 'x' }), 400, 'Unknown field: externalId')
    await expectError(createUser({ name: 'x'.repeat(256) }), 400, /^Name must be at most 255 characters$/)
    for (const metadata of [[], 'text', 5, null]) await expectError(createUser({ name: 'M', metadata }), 400, 'metadata must be a JSON object')
    await expectError(createUser({ name: 'M', metadata: { blob: 'x'.repeat(16 * 1024) } }), 400, /^metadata must be at most 16384 bytes/)
    await expectError(createUser({ name: 'E', email: 'nope' }), 400, 'email must be a valid email address')
    await expectError(createUser({ name: 'B', billing_plan: 7 }), 400, /^billing_plan /)
    await expectError(createUser({ name: 'S', status: 'suspended' }), 400, /^status /)
    await expectError(call(`/v1/admin/users/${userId}`, { method: 'PATCH', body: { name: '' } }), 400, 'Name is required and must be a non-empty string')
    await expectError(call(`/v1/admin/users/${userId}`, { method: 'PATCH', body: { external_id: 5 } }), 400, /^external_id /)
    assert.equal((await call(`/v1/admin/users/${userId}`)).body.data.name, 'Existing')
  })

  it('field and parameter names that exist on every JS object are still unknown, and deep nesting is refused', async () => {
    const headers = { 'content-type': 'application/json' }
    for (const field of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await expectError(call('/v1/admin/users', { method: 'POST', raw: `{"name":"P","${field}":{"x":1}}`, headers }), 400, `Unknown field: ${field}`)
      await expectError(call(`/v1/admin/users?${field}=1`), 400, `Unknown query parameter: ${field}`)
    }
    await expectError(call('/v1/admin/keys', { method: 'POST', raw: '{"constructor":1}', headers }), 400, 'Unknown field: constructor')
    const nested = (levels: number) => `{"name":"Deep","metadata":{"x":${'['.repeat(levels)}${']'.repeat(levels)}}}`
    await expectError(call('/v1/admin/users', { method: 'POST', raw: nested(40), headers }), 400, /^metadata must nest at most \d+ levels deep$/)
    // Far deeper than any field allows: refused before parsing, whatever the field.
    await expectError(call('/v1/admin/users', { method: 'POST', raw: nested(200_000), headers }), 400, `JSON body nests deeper than ${MAX_JSON_DEPTH} levels`)
  })

  it('malformed ids and other tenants’ ids are 404 on every id route', async () => {
    const theirs = (await request(server.url, '/v1/admin/users', { method: 'POST', key: beta.key, body: { name: 'Theirs' } })).body.data.id
    for (const id of ['not-a-uuid', '123', theirs, encodeURIComponent("' or 1=1 --")]) {
      await expectError(call(`/v1/admin/users/${id}`), 404, 'User not found')
      await expectError(call(`/v1/admin/users/${id}`, { method: 'PATCH', body: { name: 'X' } }), 404, 'User not found')
      await expectError(call(`/v1/admin/users/${id}/suspend`, { method: 'POST' }), 404, 'User not found')
      await expectError(call(`/v1/admin/users/${id}/reactivate`, { method: 'POST' }), 404, 'User not found')
    }
    await expectError(call('/v1/admin/users/%E0%A4%A'), 404, /not found/i)
    assert.equal((await request(server.url, `/v1/admin/users/${theirs}`, { key: beta.key })).body.data.name, 'Theirs')
  })

  it('a taken email (any case) or external_id is 409; the same values are fine in another tenant', async () => {
    await expectError(createUser({ name: 'Dup', email: 'taken@X.COM' }), 409, 'A user with this email already exists')
    await expectError(createUser({ name: 'Dup', external_id: 'taken' }), 409, 'A user with this external_id already exists')
    const other = (await createUser({ name: 'Other' })).body.data.id
    await expectError(call(`/v1/admin/users/${other}`, { method: 'PATCH', body: { email: 'TAKEN@x.com' } }), 409, /email/)
    const elsewhere = await request(server.url, '/v1/admin/users', { method: 'POST', key: beta.key, body: { name: 'Dup', email: 'taken@x.com', external_id: 'taken' } })
    assert.equal(elsewhere.status, 201)
  })

  it('unknown, repeated or out-of-range query parameters are 400 naming them', async () => {
    await expectError(call('/v1/admin/users?sort=name'), 400, 'Unknown query parameter: sort')
    await expectError(call('/v1/admin/users?limit=5&limit=6'), 400, /limit/)
    for (const limit of ['0', '1001', 'ten', '-1', '2.5', '']) await expectError(call(`/v1/admin/users?limit=${limit}`), 400, /^limit /)
    await expectError(call('/v1/admin/users?offset=-1'), 400, /^offset /)
    await expectError(call('/v1/admin/users?cursor=bogus'), 400, /^cursor /)
    await expectError(call('/v1/admin/users?status=deleted'), 400, /^status /)
    await expectError(call('/v1/admin/users?billing_plan=' + 'p'.repeat(300)), 400, /^billing_plan /)
    assert.equal((await call('/v1/admin/users?limit=1000')).status, 200)
  })

  it('query parameters on routes that take none, and fields sent to reactivate, are 400 naming them', async () => {
    const routes: [string, string][] = [
      ['POST', '/v1/admin/users'], ['GET', `/v1/admin/users/${userId}`], ['GET', '/v1/admin/users/by-external-id/taken'],
      ['PATCH', `/v1/admin/users/${userId}`], ['POST', `/v1/admin/users/${userId}/suspend`], ['POST', `/v1/admin/users/${userId}/reactivate`],
      ['GET', '/v1/admin/keys'], ['POST', '/v1/admin/keys'], ['DELETE', `/v1/admin/keys/${acme.keyId}`],
    ]
    for (const [method, path] of routes) await expectError(call(`${path}?expand=all`, { method }), 400, 'Unknown query parameter: expand')
    await expectError(call(`/v1/admin/users/${userId}/reactivate`, { method: 'POST', body: { reason: 'x' } }), 400, 'Unknown field: reason')
    const user = await call(`/v1/admin/users/${userId}`)
    assert.deepEqual([user.body.data.name, user.body.data.status], ['Existing', 'active'])
    assert.equal((await call('/v1/admin/keys')).status, 200)
  })

  it('a missing or unknown key is 401; X-API-Key is accepted as well as Bearer', async () => {
    await expectError(request(server.url, '/v1/admin/users'), 401, /Missing API key/)
    await expectError(request(server.url, '/v1/admin/users', { key: 'rsk_admin_doesnotexist' }), 401, 'Invalid or revoked API key')
    await expectError(request(server.url, '/v1/admin/users', { headers: { authorization: `Basic ${acme.key}` } }), 401, /Missing API key/)
    const viaHeader = await request(server.url, '/v1/admin/users', { headers: { 'x-api-key': acme.key } })
    assert.equal(viaHeader.status, 200)
    const lowercase = await request(server.url, '/v1/admin/users', { headers: { authorization: `bearer ${acme.key}` } })
    assert.equal(lowercase.status, 200)
  })

  it('a wrong method is 405 with Allow; an unknown path is 404', async () => {
    const collection = await call('/v1/admin/users', { method: 'DELETE' })
    assert.deepEqual([collection.status, collection.headers.get('allow')], [405, 'GET, POST'])
    const item = await call(`/v1/admin/users/${userId}`, { method: 'PUT', body: { name: 'X' } })
    assert.deepEqual([item.status, item.headers.get('allow')], [405, 'GET, PATCH'])
    const suspend = await call(`/v1/admin/users/${userId}/suspend`)
    assert.deepEqual([suspend.status, suspend.headers.get('allow')], [405, 'POST'])
    await expectError(call('/v1/admin/nothing-here'), 404, 'Not found')
  })

  it('usage paths are never read as a user id', async () => {
    for (const path of ['/v1/admin/users/usage/summary', `/v1/admin/users/${userId}/usage`]) {
      const response = await call(path)
      assert.notEqual(response.status, 500)
      assert.notEqual(response.body?.error, 'User not found', path)
    }
  })
})
