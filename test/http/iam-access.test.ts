import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { JSON_API_TYPE as JSON_API, jsonApiError } from '../helpers/json-api.js'
import { BOOTSTRAP_KEY, createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const BASE = '/api/v3/iam/accounts'

const accountDoc = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ data: { type: 'accounts', attributes, ...extra } })

describe('IAM accounts over HTTP: who may call, me, tenancy, malformed requests', () => {
  let server: TestServer
  let acme: TestTenant
  const call = (path: string, options: Parameters<typeof request>[2] = {}) => request(server.url, path, { key: acme.key, ...options })
  const create = async (attributes: Record<string, unknown>, extra?: Record<string, unknown>) => {
    const res = await call(BASE, { method: 'POST', body: accountDoc(attributes, extra) })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body.data
  }

  beforeEach(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
  })
  afterEach(() => server.close())

  it('me: a user credential reads its own account with includes; an admin key gets 403', async () => {
    await create({ email: 'me@x.org' }, { relationships: { person: { data: { type: 'people', attributes: { first_name: 'Me' } } } } })
    const { account } = await server.roster.accounts.get(acme.principal, 1)
    const credential = await server.roster.credentials.create(acme.principal, account.userId, { name: 'cli' })
    const me = await request(server.url, `${BASE}/me?included=person,organization`, { key: credential.secret })
    assert.equal(me.status, 200)
    assert.equal(me.body.data.id, '1')
    assert.equal(me.body.links.self, `${BASE}/me`)
    assert.deepEqual(me.body.included.map((r: { type: string }) => r.type), ['people', 'organizations'])
    assert.equal(me.body.included[0].attributes.first_name, 'Me')
    const admin = jsonApiError(await call(`${BASE}/me`), 403, 'forbidden')
    assert.ok(!JSON.stringify(admin).includes('me@x.org'))
    jsonApiError(await request(server.url, `${BASE}/me`, { key: BOOTSTRAP_KEY }), 403, 'bootstrap_key')
    jsonApiError(await request(server.url, `${BASE}/me?included=groups`, { key: credential.secret }), 400)
    // A user credential may read only itself.
    jsonApiError(await request(server.url, BASE, { key: credential.secret }), 403)
    jsonApiError(await request(server.url, `${BASE}/1`, { key: credential.secret }), 403)
  })

  it('authenticates: no key 401, unknown key 401, bootstrap 403, missing permission 403', async () => {
    jsonApiError(await request(server.url, BASE), 401, 'unauthenticated')
    jsonApiError(await request(server.url, BASE, { key: 'rsk_admin_nope' }), 401)
    const boot = jsonApiError(await request(server.url, BASE, { key: BOOTSTRAP_KEY }), 403, 'bootstrap_key')
    assert.match(boot.detail, /Bootstrap key/)
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_roles'])
    const error = jsonApiError(await request(server.url, BASE, { key: narrow.key }), 403, 'forbidden')
    assert.equal(error.detail, 'Permission denied: manage_users required')
    jsonApiError(await request(server.url, BASE, { method: 'POST', key: narrow.key, body: accountDoc({ email: 'a@x.org' }) }), 403)
    const xApiKey = await request(server.url, BASE, { headers: { 'x-api-key': acme.key } })
    assert.equal(xApiKey.status, 200)
  })

  it('never shows or changes another tenant’s accounts: 404', async () => {
    await create({ email: 'a@x.org' })
    const beta = await createTestTenant(server.roster, 'Beta')
    const as = (path: string, options: Parameters<typeof request>[2] = {}) => request(server.url, path, { key: beta.key, ...options })
    jsonApiError(await as(`${BASE}/1`), 404)
    jsonApiError(await as(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ enabled: false }) }), 404)
    jsonApiError(await as(`${BASE}/1`, { method: 'DELETE' }), 404)
    assert.deepEqual((await as(BASE)).body.data, [])
    assert.equal((await call(`${BASE}/1`)).body.data.attributes.enabled, true)
  })

  it('answers malformed ids, unknown paths and methods in its own envelope', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '01', '99']) jsonApiError(await call(`${BASE}/${id}`), 404, 'not_found')
    jsonApiError(await call(`${BASE}/abc`, { method: 'PATCH', body: accountDoc({}, { id: '1' }) }), 404)
    jsonApiError(await call('/api/v3/iam/nothing'), 404)
    const put = await call(`${BASE}/1`, { method: 'PUT' })
    jsonApiError(put, 405, 'method_not_allowed')
    assert.match(put.headers.get('allow') ?? '', /PATCH/)
    jsonApiError(await call(`${BASE}/1?colour=red`), 400)
  })

  it('reads bodies strictly: 400 malformed, 413 too large, 415 wrong type or JSON:API parameters; 406 for Accept', async () => {
    jsonApiError(await call(BASE, { method: 'POST', raw: '{"data":', headers: { 'content-type': JSON_API } }), 400)
    jsonApiError(await call(BASE, { method: 'POST', raw: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': JSON_API } }), 413)
    jsonApiError(await call(BASE, { method: 'POST', raw: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415)
    jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org' }), headers: { 'content-type': `${JSON_API}; charset=utf-8` } }), 415)
    // roster implements no JSON:API extension, so a body that uses one cannot be understood.
    jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org' }), headers: { 'content-type': `${JSON_API}; ext="https://example.com/ext"` } }), 415)
    const profile = await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org' }), headers: { 'content-type': `${JSON_API}; profile="https://example.com/p"` } })
    assert.equal(profile.status, 201)
    jsonApiError(await call(BASE, { headers: { accept: `${JSON_API}; charset=utf-8` } }), 406)
    assert.equal((await call(BASE, { headers: { accept: `${JSON_API}; charset=utf-8, ${JSON_API}` } })).status, 200)
    assert.equal((await call(BASE, { headers: { accept: 'application/json' } })).status, 200)
  })
})
