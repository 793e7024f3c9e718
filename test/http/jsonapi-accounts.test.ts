import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createTestAccount, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions, type TestResponse } from '../helpers/http.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const BASE = '/api/v3/iam/accounts'
const JSON_API = 'application/vnd.api+json'

function jsonApiError(res: TestResponse, status: number): any {
  assert.equal(res.status, status, JSON.stringify(res.body))
  assert.equal(res.headers.get('content-type'), JSON_API)
  assert.equal(res.body.errors[0].status, String(status))
  return res.body.errors[0]
}

describe('JSON:API accounts: create, show, update, delete across surfaces', () => {
  let server: TestServer
  let acme: TestAccount
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const create = async (attributes: Record<string, unknown>) => {
    const res = await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes } } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res
  }

  beforeEach(async () => {
    server = await startTestServer()
    acme = await createTestAccount(server.url, { withOwner: true })
  })
  afterEach(() => server.close())

  it('POST with the JSON:API media type → 201, Location naming the new account, reply typed vnd.api+json', async () => {
    const res = await call(BASE, {
      method: 'POST', headers: { 'content-type': JSON_API, accept: JSON_API },
      body: { data: { type: 'accounts', attributes: { email: 'ann@acme.com', account_type: 'user' } } },
    })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    assert.equal(res.headers.get('content-type'), JSON_API)
    assert.equal(res.headers.get('location'), `${BASE}/${res.body.data.id}`)
    assert.equal(res.body.data.type, 'accounts')
    assert.equal(res.body.data.attributes.email, 'ann@acme.com')
    assert.equal(res.body.data.attributes.enabled, true)
    const shown = await call(res.headers.get('location')!)
    assert.equal(shown.status, 200)
    assert.equal(shown.headers.get('content-type'), JSON_API)
    assert.deepEqual(shown.body.data.attributes, res.body.data.attributes)
  })

  it('POST with a wrong type → 409 pointing at /data/type; nothing is created', async () => {
    const before = (await call(`${BASE}?count=true`)).body.meta.total
    const error = jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'users', attributes: { email: 'x@acme.com' } } } }), 409)
    assert.deepEqual(error.source, { pointer: '/data/type' })
    assert.equal((await call(`${BASE}?count=true`)).body.meta.total, before)
  })

  it('GET of an unknown or malformed id → 404 JSON:API error', async () => {
    jsonApiError(await call(`${BASE}/999`), 404)
    jsonApiError(await call(`${BASE}/abc`), 404)
  })

  it('PATCH takes the seed body (no data.id) and the JSON:API body with a matching data.id; another id → 409', async () => {
    const { id } = (await create({ email: 'bo@acme.com' })).body.data
    const seed = await call(`${BASE}/${id}`, { method: 'PATCH', body: { data: { type: 'accounts', attributes: { email: 'bob@acme.com' } } } })
    assert.equal(seed.status, 200, JSON.stringify(seed.body))
    assert.equal(seed.body.data.attributes.email, 'bob@acme.com')
    const withId = await call(`${BASE}/${id}`, {
      method: 'PATCH', headers: { 'content-type': JSON_API }, body: { data: { type: 'accounts', id, attributes: { account_type: 'service' } } },
    })
    assert.equal(withId.status, 200, JSON.stringify(withId.body))
    assert.equal(withId.body.data.attributes.account_type, 'service')
    const mismatch = jsonApiError(await call(`${BASE}/${id}`, {
      method: 'PATCH', body: { data: { type: 'accounts', id: String(Number(id) + 100), attributes: { email: 'no@acme.com' } } },
    }), 409)
    assert.ok(mismatch.source.pointer.startsWith('/data/id'))
    jsonApiError(await call(`${BASE}/${id}`, { method: 'PATCH', body: { data: { type: 'roles', attributes: {} } } }), 409)
    assert.equal((await call(`${BASE}/${id}`)).body.data.attributes.email, 'bob@acme.com')
  })

  it('PATCH enabled false/true suspends and reactivates, as /v1/admin/users sees it', async () => {
    const created = (await create({ email: 'sus@acme.com' })).body.data
    const userId = (await call(`/v1/admin/users?email=sus@acme.com`)).body.data[0].id
    const adminStatus = async () => (await call(`/v1/admin/users/${userId}`)).body.data.status
    assert.equal(await adminStatus(), 'active')
    const off = await call(`${BASE}/${created.id}`, { method: 'PATCH', body: { data: { type: 'accounts', attributes: { enabled: false } } } })
    assert.equal(off.body.data.attributes.enabled, false)
    assert.equal(await adminStatus(), 'suspended')
    await call(`${BASE}/${created.id}`, { method: 'PATCH', body: { data: { type: 'accounts', attributes: { enabled: true } } } })
    assert.equal(await adminStatus(), 'active')
    // And the other way round: a suspension on the admin surface shows as enabled false.
    assert.equal((await call(`/v1/admin/users/${userId}/suspend`, { method: 'POST' })).status, 200)
    assert.equal((await call(`${BASE}/${created.id}`)).body.data.attributes.enabled, false)
  })

  it('DELETE → 204, then 404 on every surface, and the user credentials stop authenticating', async () => {
    const created = (await create({ email: 'gone@acme.com' })).body.data
    const userId = (await call(`/v1/admin/users?email=gone@acme.com`)).body.data[0].id
    const credential = await server.roster.credentials.create(server.roster.principals.tenant(acme.accountId), userId, { name: 'Laptop' })
    assert.equal((await server.roster.authenticate(credential.secret)).kind, 'user')
    const res = await call(`${BASE}/${created.id}`, { method: 'DELETE' })
    assert.equal(res.status, 204)
    assert.equal(res.body, undefined)
    jsonApiError(await call(`${BASE}/${created.id}`), 404)
    jsonApiError(await call(`${BASE}/${created.id}`, { method: 'DELETE' }), 404)
    assert.equal((await call(`/v1/admin/users/${userId}`)).status, 404)
    assert.equal((await call(`/accounts/${acme.accountId}/users/${userId}`)).status, 404)
    await assert.rejects(server.roster.authenticate(credential.secret))
    assert.equal((await request(server.url, `${BASE}/me`, { key: credential.secret })).status, 401)
  })

  it('DELETE of the tenant owner → 403 and the owner stays', async () => {
    const owner = (await call(`${BASE}?filter[account_type]=owner`)).body.data[0]
    assert.ok(owner)
    jsonApiError(await call(`${BASE}/${owner.id}`, { method: 'DELETE' }), 403)
    assert.equal((await call(`${BASE}/${owner.id}`)).status, 200)
  })

  it('an account created on IAM is on /v1/admin/users and /accounts/{tenantId}/users', async () => {
    await create({ email: 'cross@acme.com' })
    const admin = (await call('/v1/admin/users?email=cross@acme.com')).body.data
    assert.equal(admin.length, 1)
    const listed = (await call(`/accounts/${acme.accountId}/users?limit=1000`)).body.users
    assert.ok(listed.some((u: any) => u.id === admin[0].id && u.email_address === 'cross@acme.com'))
  })

  it('a user created on /v1/admin/users is listed on IAM', async () => {
    const made = await call('/v1/admin/users', { method: 'POST', body: { name: 'Ada L', email: 'ada@acme.com' } })
    assert.equal(made.status, 201)
    const iam = await call(`${BASE}?filter[email]=ada@acme.com`)
    assert.deepEqual(iam.body.data.map((a: any) => a.attributes.email), ['ada@acme.com'])
  })

  it('client-generated ids → 403 with code forbidden; PUT → 405; Accept with foreign parameters only → 406', async () => {
    const clientId = jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'accounts', id: '7', attributes: { email: 'c@acme.com' } } } }), 403)
    assert.deepEqual([clientId.code, clientId.source], ['forbidden', { pointer: '/data/id' }])
    assert.equal(jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'd@acme.com', id: 5 } } } }), 403).code, 'forbidden')
    jsonApiError(await call(BASE, { method: 'PUT' }), 405)
    jsonApiError(await call(BASE, { headers: { accept: `${JSON_API}; charset=x` } }), 406)
    assert.equal((await call(BASE, { headers: { accept: 'application/json' } })).status, 200)
  })

  it('a taken email (any case) → 409 pointing at the email; account_type owner → 400', async () => {
    await create({ email: 'taken@acme.com' })
    const taken = jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'Taken@Acme.com' } } } }), 409)
    assert.deepEqual(taken.source, { pointer: '/data/attributes/email' })
    const owner = jsonApiError(await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'o2@acme.com', account_type: 'owner' } } } }), 400)
    assert.deepEqual(owner.source, { pointer: '/data/attributes/account_type' })
  })

  it('no key → 401, a foreign media type parameter → 415', async () => {
    jsonApiError(await request(server.url, BASE), 401)
    jsonApiError(await call(BASE, {
      method: 'POST', headers: { 'content-type': `${JSON_API}; charset=utf-8` }, body: { data: { type: 'accounts', attributes: {} } },
    }), 415)
  })
})
