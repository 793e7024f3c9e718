import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { JSON_API_TYPE as JSON_API, jsonApiError } from '../helpers/json-api.js'
import { BOOTSTRAP_KEY, createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const BASE = '/api/v3/iam/accounts'

const accountDoc = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ data: { type: 'accounts', attributes, ...extra } })

describe('IAM accounts over HTTP', () => {
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

  it('POST creates an account: 201, Location, the seed’s attributes, JSON:API media type', async () => {
    const res = await call(BASE, {
      method: 'POST',
      headers: { 'content-type': JSON_API },
      body: accountDoc({ email: 'ann@x.org', account_type: 'service', expires_at: '2030-01-01T00:00:00Z' },
        { relationships: { person: { data: { type: 'people', attributes: { first_name: 'Ann', last_name: 'Lee' } } } } }),
    })
    assert.equal(res.status, 201)
    assert.equal(res.headers.get('content-type'), JSON_API)
    assert.equal(res.headers.get('location'), `${BASE}/1`)
    const { data } = res.body
    assert.equal(data.type, 'accounts')
    assert.equal(data.id, '1')
    assert.deepEqual(Object.keys(data.attributes), ['id', 'email', 'account_type', 'auth_type', 'created_at', 'updated_at', 'expires_at', 'enabled', 'person_id'])
    assert.deepEqual({ ...data.attributes, created_at: undefined, updated_at: undefined }, {
      id: 1, email: 'ann@x.org', account_type: 'service', auth_type: 'none', created_at: undefined, updated_at: undefined,
      expires_at: '2030-01-01T00:00:00.000Z', enabled: true, person_id: 1,
    })
    assert.equal(data.attributes.updated_at, data.attributes.created_at)
    assert.deepEqual(data.relationships.person, { data: { type: 'people', id: '1' } })
    assert.deepEqual(data.relationships.organization, { data: { type: 'organizations', id: acme.tenantId } })
    assert.deepEqual(data.relationships.roles.links, { self: `${BASE}/1/relationships/roles`, related: `${BASE}/1/roles` })
    assert.equal(data.links.self, `${BASE}/1`)
    const admin = await request(server.url, '/v1/admin/users', { key: acme.key })
    assert.deepEqual(admin.body.data.map((u: { name: string; email: string }) => [u.name, u.email]), [['Ann Lee', 'ann@x.org']])
  })

  it('accepts application/json bodies and answers GET /:id with the same resource', async () => {
    const created = await create({ email: 'a@x.org' })
    const res = await call(`${BASE}/${created.id}`)
    assert.equal(res.status, 200)
    assert.deepEqual(res.body.data, created)
    assert.deepEqual(res.body.links, { self: `${BASE}/1` })
  })

  it('sees users created on the admin surface as accounts', async () => {
    const admin = await request(server.url, '/v1/admin/users', { method: 'POST', key: acme.key, body: { name: 'Acme Corp', email: 'api@acme.com' } })
    assert.equal(admin.status, 201)
    const res = await call(`${BASE}/1`)
    assert.equal(res.body.data.attributes.email, 'api@acme.com')
    assert.equal(res.body.data.attributes.auth_type, 'none')
    assert.equal(res.body.data.attributes.account_type, 'user')
  })

  it('refuses a wrong or missing type, client ids and read-only attributes on POST', async () => {
    assert.deepEqual(jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'users', attributes: { email: 'a@x.org' } } } }), 409, 'conflict').source, { pointer: '/data/type' })
    // A pointer names a member the document has: a missing type points at its resource object.
    assert.deepEqual(jsonApiError(await call(BASE, { method: 'POST', body: { data: { attributes: { email: 'a@x.org' } } } }), 400).source, { pointer: '/data' })
    assert.deepEqual(jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org' }, { id: '7' }) }), 403).source, { pointer: '/data/id' })
    for (const name of ['id', 'person_id', 'created_at', 'updated_at']) {
      const error = jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org', [name]: 1 }) }), 403)
      assert.deepEqual(error.source, { pointer: `/data/attributes/${name}` })
    }
    const person = { relationships: { person: { data: { type: 'people', id: '3' } } } }
    assert.deepEqual(jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org' }, person) }), 403).source, { pointer: '/data/relationships/person/data/id' })
    const count = await call(`${BASE}?count=true`)
    assert.equal(count.body.meta.total, 0)
  })

  it('answers bad attributes with 400 and a pointer naming the attribute', async () => {
    const cases: [Record<string, unknown>, string, Record<string, unknown>?][] = [
      // Missing, so the pointer stops at the attributes object that lacks it.
      [{}, '/data/attributes'],
      [{ email: 'nope' }, '/data/attributes/email'],
      [{ email: 'a@x.org', account_type: 'Bad!' }, '/data/attributes/account_type'],
      [{ email: 'a@x.org', accountType: 'user' }, '/data/attributes/accountType'],
      [{ email: 'a@x.org', auth_type: 'password' }, '/data/attributes/auth_type'],
      [{ email: 'a@x.org', expires_at: 'tomorrow' }, '/data/attributes/expires_at'],
      [{ email: 'a@x.org', enabled: 'no' }, '/data/attributes/enabled'],
      [{ email: 'a@x.org', password: 'short' }, '/data/attributes/password'],
      [{ email: 'a@x.org', nickname: 'x' }, '/data/attributes/nickname'],
      [{ email: 'a@x.org' }, '/data/relationships/person/data/attributes/first_name', { relationships: { person: { data: { type: 'people', attributes: { first_name: 7 } } } } }],
      [{ email: 'a@x.org' }, '/data/relationships/person/data/attributes/email', { relationships: { person: { data: { type: 'people', attributes: { email: 'b@x.org' } } } } }],
      [{ email: 'a@x.org' }, '/data/lid2', { lid2: 'x' }],
    ]
    for (const [attributes, pointer, extra] of cases) {
      const error = jsonApiError(await call(BASE, { method: 'POST', body: accountDoc(attributes, extra) }), 400)
      assert.deepEqual(error.source, { pointer }, JSON.stringify(attributes))
    }
    const detail = jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org', account_type: 'Bad!' }) }), 400).detail
    assert.match(detail, /^account_type must be/)
    assert.equal(jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'a@x.org' }, { relationships: { person: { data: { type: 'users' } } } }) }), 409).source.pointer, '/data/relationships/person/data/type')
    jsonApiError(await call(BASE, { method: 'POST', body: { data: [] } }), 400)
    jsonApiError(await call(BASE, { method: 'POST', body: ['x'] }), 400)
    jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: [] } } }), 400)
    jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: {} }, extra: 1 } }), 400)
  })

  it('answers a taken email with 409 naming it', async () => {
    await create({ email: 'a@x.org' })
    const error = jsonApiError(await call(BASE, { method: 'POST', body: accountDoc({ email: 'A@X.org' }) }), 409, 'conflict')
    assert.deepEqual(error.source, { pointer: '/data/attributes/email' })
  })

  it('PATCH takes the seed body and the JSON:API body with a matching id; another id is 409', async () => {
    await create({ email: 'a@x.org' })
    const seed = await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ account_type: 'service', expires_at: null }) })
    assert.equal(seed.status, 200)
    assert.equal(seed.body.data.attributes.account_type, 'service')
    const full = await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ id: 1, person_id: 1, email: 'new@x.org' }, { id: '1' }) })
    assert.equal(full.status, 200)
    assert.equal(full.body.data.attributes.email, 'new@x.org')
    assert.deepEqual(jsonApiError(await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ email: 'z@x.org' }, { id: '2' }) }), 409).source, { pointer: '/data/id' })
    assert.deepEqual(jsonApiError(await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ id: 2 }) }), 409).source, { pointer: '/data/attributes/id' })
    assert.deepEqual(jsonApiError(await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ person_id: 2 }) }), 409).source, { pointer: '/data/attributes/person_id' })
    assert.deepEqual(jsonApiError(await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ created_at: '2020-01-01T00:00:00Z' }) }), 403).source, { pointer: '/data/attributes/created_at' })
    assert.deepEqual(jsonApiError(await call(`${BASE}/1`, { method: 'PATCH', body: { data: { type: 'roles', attributes: {} } } }), 409).source, { pointer: '/data/type' })
    const person = { relationships: { person: { data: { type: 'people', id: '1', attributes: { first_name: 'Zed' } } } } }
    assert.equal((await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({}, person) })).status, 200)
    assert.equal((await server.roster.accounts.get(acme.principal, 1)).account.person.firstName, 'Zed')
    const wrongPerson = { relationships: { person: { data: { type: 'people', id: '5' } } } }
    assert.equal(jsonApiError(await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({}, wrongPerson) }), 409).source.pointer, '/data/relationships/person/data/id')
    assert.equal((await call(`${BASE}/1`)).body.data.attributes.email, 'new@x.org', 'refused PATCHes changed nothing')
  })

  it('PATCH enabled suspends and reactivates, and the admin surface sees it', async () => {
    await create({ email: 'a@x.org' })
    const off = await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ enabled: false }) })
    assert.equal(off.body.data.attributes.enabled, false)
    const adminId = (await request(server.url, '/v1/admin/users', { key: acme.key })).body.data[0].id
    assert.equal((await request(server.url, `/v1/admin/users/${adminId}`, { key: acme.key })).body.data.status, 'suspended')
    await request(server.url, `/v1/admin/users/${adminId}/reactivate`, { method: 'POST', key: acme.key })
    assert.equal((await call(`${BASE}/1`)).body.data.attributes.enabled, true)
    await request(server.url, `/v1/admin/users/${adminId}/suspend`, { method: 'POST', key: acme.key, body: {} })
    assert.equal((await call(`${BASE}/1`)).body.data.attributes.enabled, false)
    await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ enabled: true }) })
    assert.equal((await request(server.url, `/v1/admin/users/${adminId}`, { key: acme.key })).body.data.status, 'active')
  })

  it('sets a write-only password, never returned, and issues a reset token once', async () => {
    const created = await create({ email: 'a@x.org', password: 'correct horse' })
    assert.equal(created.attributes.auth_type, 'password')
    assert.ok(!JSON.stringify(created).includes('correct horse'))
    assert.ok(!('password' in created.attributes))
    assert.ok(await server.roster.passwords.verify(acme.tenantId, 'a@x.org', 'correct horse'))
    const reset = await call(`${BASE}/1/password-reset`, { method: 'POST' })
    assert.equal(reset.status, 201)
    assert.equal(reset.headers.get('cache-control'), 'no-store')
    assert.equal(reset.body.data.type, 'password_resets')
    assert.equal(reset.body.data.id, '1')
    assert.match(reset.body.data.attributes.token, /^rsk_reset_/)
    assert.deepEqual(reset.body.data.relationships.account.data, { type: 'accounts', id: '1' })
    const found = await call(`${BASE}?filter[password_reset_token]=${encodeURIComponent(reset.body.data.attributes.token)}`)
    assert.deepEqual(found.body.data.map((a: { id: string }) => a.id), ['1'])
    assert.ok(!JSON.stringify((await call(`${BASE}/1`)).body).includes(reset.body.data.attributes.token))
    const ttl = await call(`${BASE}/1/password-reset`, { method: 'POST', body: { data: { type: 'password_resets', attributes: { ttl_seconds: 600 } } } })
    assert.equal(ttl.status, 201)
    assert.equal(jsonApiError(await call(`${BASE}/1/password-reset`, { method: 'POST', body: { data: { type: 'password_resets', attributes: { ttl_seconds: 5 } } } }), 400).source.pointer, '/data/attributes/ttl_seconds')
    jsonApiError(await call(`${BASE}/9/password-reset`, { method: 'POST' }), 404)
    const cleared = await call(`${BASE}/1`, { method: 'PATCH', body: accountDoc({ auth_type: 'none' }) })
    assert.equal(cleared.body.data.attributes.auth_type, 'none')
  })

  it('DELETE answers 204 and the user is gone from every surface, its credentials revoked', async () => {
    await create({ email: 'a@x.org' })
    const { account } = await server.roster.accounts.get(acme.principal, 1)
    const credential = await server.roster.credentials.create(acme.principal, account.userId, { name: 'laptop' })
    assert.equal((await request(server.url, `${BASE}/me`, { key: credential.secret })).status, 200)
    const res = await call(`${BASE}/1`, { method: 'DELETE' })
    assert.equal(res.status, 204)
    assert.equal(res.body, undefined)
    jsonApiError(await call(`${BASE}/1`), 404, 'not_found')
    jsonApiError(await call(`${BASE}/1`, { method: 'DELETE' }), 404)
    assert.equal((await request(server.url, `/v1/admin/users/${account.userId}`, { key: acme.key })).status, 404)
    jsonApiError(await request(server.url, `${BASE}/me`, { key: credential.secret }), 401)
  })

  it('refuses to delete the tenant owner with 403', async () => {
    const res = await request(server.url, '/v1/admin/keys', {
      method: 'POST', key: BOOTSTRAP_KEY,
      body: { entity_name: 'Owned', owner: { email_address: 'o@x.org', first_name: 'O', last_name: 'W' } },
    })
    const key = res.body.data.key
    const owner = await request(server.url, `${BASE}/1`, { key })
    assert.equal(owner.body.data.attributes.account_type, 'owner')
    jsonApiError(await request(server.url, `${BASE}/1`, { method: 'DELETE', key }), 403, 'forbidden')
    assert.equal((await request(server.url, `${BASE}/1`, { key })).status, 200)
  })

})
