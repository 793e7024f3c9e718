import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request, type RequestOptions } from '../helpers/http.js'
import { JSON_API_TYPE as JSON_API, jsonApiError } from '../helpers/json-api.js'
import { createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const BASE = '/api/v3/iam/accounts'
const EXT = 'https://jsonapi.org/ext/atomic'

describe('JSON:API 1.1 rules of the IAM surface', () => {
  let server: TestServer
  let acme: TestTenant
  let accountId: string
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const doc = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ data: { type: 'accounts', attributes, ...extra } })

  before(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster)
    const created = await call(BASE, { method: 'POST', body: doc({ email: 'first@acme.example' }) })
    accountId = created.body.data.id
  })
  after(() => server.close())

  it('415 for a body that uses an extension roster does not implement; profiles and an empty ext are fine', async () => {
    const refused = jsonApiError(await call(BASE, { method: 'POST', body: doc({ email: 'e1@acme.example' }), headers: { 'content-type': `${JSON_API}; ext="${EXT}"` } }), 415)
    assert.match(refused.detail, /extensions/)
    for (const parameters of [`profile="https://example.com/p"`, 'ext=""']) {
      const ok = await call(BASE, { method: 'POST', body: doc({ email: `${parameters.length}@acme.example` }), headers: { 'content-type': `${JSON_API}; ${parameters}` } })
      assert.equal(ok.status, 201, parameters)
    }
    assert.equal((await call(BASE, { method: 'GET' })).status, 200)
  })

  it('406 when every JSON:API instance in Accept asks for an extension, 200 when one does not', async () => {
    jsonApiError(await call(BASE, { headers: { accept: `${JSON_API}; ext="${EXT}"` } }), 406)
    jsonApiError(await call(BASE, { headers: { accept: `${JSON_API}; ext="${EXT}", */*` } }), 406)
    for (const accept of [`${JSON_API}; ext="${EXT}", ${JSON_API}`, `${JSON_API}; profile="https://example.com/p"`, '*/*', 'application/json']) {
      assert.equal((await call(BASE, { headers: { accept } })).status, 200, accept)
    }
  })

  it('source.pointer names a member the document has: a missing attribute points at its parent', async () => {
    assert.deepEqual(jsonApiError(await call(BASE, { method: 'POST', body: doc({}) }), 400).source, { pointer: '/data/attributes' })
    assert.deepEqual(jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'accounts' } } }), 400).source, { pointer: '/data' })
    assert.deepEqual(jsonApiError(await call(BASE, { method: 'POST', body: doc({ email: 7 }) }), 400).source, { pointer: '/data/attributes/email' })
  })

  it('links.self is percent-encoded like the other links', async () => {
    const response = await call(`${BASE}?filter[email]=first@acme.example&page[size]=1`)
    assert.equal(response.status, 200)
    assert.equal(response.body.links.self, `${BASE}?filter%5Bemail%5D=first%40acme.example&page%5Bsize%5D=1`)
    assert.equal(response.body.links.first, response.body.links.self)
  })

  it('the password-reset 201 has a Location, the same as its links.self', async () => {
    const response = await call(`${BASE}/${accountId}/password-reset`, { method: 'POST' })
    assert.equal(response.status, 201)
    assert.equal(response.headers.get('location'), `${BASE}/${accountId}/password-reset`)
    assert.equal(response.headers.get('location'), response.body.links.self)
  })

  it('403 for replacing the roles relationship through the account, on PATCH and POST, changing nothing', async () => {
    const role = (await call('/api/v3/iam/roles', { method: 'POST', body: { data: { type: 'roles', attributes: { name: 'ops' } } } })).body.data
    const roles = { roles: { data: [{ type: 'roles', id: role.id }] } }
    const patched = jsonApiError(await call(`${BASE}/${accountId}`, { method: 'PATCH', body: { data: { type: 'accounts', id: accountId, attributes: { account_type: 'service' }, relationships: roles } } }), 403)
    assert.deepEqual(patched.source, { pointer: '/data/relationships/roles' })
    const created = jsonApiError(await call(BASE, { method: 'POST', body: doc({ email: 'r@acme.example' }, { relationships: roles }) }), 403)
    assert.deepEqual(created.source, { pointer: '/data/relationships/roles' })
    const after = (await call(`${BASE}/${accountId}?include=roles`)).body
    assert.deepEqual([after.data.attributes.account_type, after.data.relationships.roles.data], ['user', []])
    assert.equal((await call(`${BASE}?filter[email]=r@acme.example`)).body.data.length, 0)
  })

  it('a data.id or data.type that is not a string is a 400 pointing at it, before anything is compared', async () => {
    for (const id of [Number(accountId), [[accountId]], { id: accountId }, null, true]) {
      const error = jsonApiError(await call(`${BASE}/${accountId}`, { method: 'PATCH', body: { data: { type: 'accounts', id, attributes: {} } } }), 400)
      assert.deepEqual(error.source, { pointer: '/data/id' }, JSON.stringify(id))
    }
    for (const type of [[['accounts']], 5, { type: 'accounts' }]) {
      const error = jsonApiError(await call(BASE, { method: 'POST', body: { data: { type, attributes: { email: 't@acme.example' } } } }), 400)
      assert.deepEqual(error.source, { pointer: '/data/type' }, JSON.stringify(type))
    }
    const person = jsonApiError(await call(BASE, { method: 'POST', body: doc({ email: 'p@acme.example' }, { relationships: { person: { data: { type: 'people', id: [[1]] } } } }) }), 400)
    assert.deepEqual(person.source, { pointer: '/data/relationships/person/data/id' })
  })
})
