import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { BOOTSTRAP_KEY, createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
// Seed 001's example request body.
const SEED_BODY = {
  name: 'Acme Corporation', external_id: 'cust_abc123', email: 'api@acme.com',
  metadata: { tier: 'enterprise', signup_source: 'referral' }, billing_plan: 'pro',
}

describe('admin surface: /v1/admin/users', () => {
  let server: TestServer
  let acme: TestTenant
  const call = (path: string, options: Parameters<typeof request>[2] = {}) => request(server.url, path, { key: acme.key, ...options })
  const create = async (body: Record<string, unknown>, tenant = acme) => {
    const response = await request(server.url, '/v1/admin/users', { method: 'POST', key: tenant.key, body })
    assert.equal(response.status, 201, JSON.stringify(response.body))
    return response.body.data
  }

  before(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'YourCompany')
  })
  after(() => server.close())

  it('POST creates a user: 201 with the seed’s envelope, message and user object', async () => {
    const response = await call('/v1/admin/users', { method: 'POST', body: SEED_BODY })
    assert.equal(response.status, 201)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    const { success, data, message } = response.body
    assert.deepEqual([success, message, Object.keys(response.body).sort()], [true, 'User account created successfully', ['data', 'message', 'success']])
    assert.match(data.id, UUID)
    assert.match(data.created_at, ISO)
    assert.deepEqual(data, {
      id: data.id, admin_key_id: acme.keyId, admin_entity_name: 'YourCompany', external_id: 'cust_abc123', name: 'Acme Corporation',
      email: 'api@acme.com', metadata: { tier: 'enterprise', signup_source: 'referral' }, created_at: data.created_at,
      updated_at: null, status: 'active', billing_plan: 'pro', first_name: null, last_name: null,
    })
  })

  it('POST with only a name gives null optional fields, an empty metadata object and status active', async () => {
    const data = await create({ name: 'Minimal' })
    assert.deepEqual([data.external_id, data.email, data.billing_plan, data.metadata, data.status, data.updated_at], [null, null, null, {}, 'active', null])
    const pending = await create({ name: 'Later', status: 'pending', first_name: 'Ada', last_name: 'Lovelace' })
    assert.deepEqual([pending.status, pending.first_name, pending.last_name], ['pending', 'Ada', 'Lovelace'])
  })

  it('POST with the bootstrap key: 400 with the seed’s text', async () => {
    const response = await request(server.url, '/v1/admin/users', { method: 'POST', key: BOOTSTRAP_KEY, body: { name: 'X' } })
    assert.deepEqual([response.status, response.body], [400, { success: false, error: 'Bootstrap key cannot manage users. Create an admin key first.' }])
  })

  it('concurrent creates with one email: exactly one 201, the rest 409, numbering intact', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      call('/v1/admin/users', { method: 'POST', body: { name: `Racer ${i}`, email: i % 2 ? 'RACE@x.com' : 'race@x.com' } })))
    assert.deepEqual(responses.map((r) => r.status).sort(), [201, ...Array(11).fill(409)])
    const listed = await call('/v1/admin/users?email=race@x.com')
    assert.equal(listed.body.pagination.total, 1)
  })

  it('every user endpoint with the bootstrap key: 400 with the seed’s text', async () => {
    const id = (await create({ name: 'Target' })).id
    const routes: [string, string][] = [
      ['GET', '/v1/admin/users'], ['GET', `/v1/admin/users/${id}`], ['GET', '/v1/admin/users/by-external-id/x'],
      ['PATCH', `/v1/admin/users/${id}`], ['POST', `/v1/admin/users/${id}/suspend`], ['POST', `/v1/admin/users/${id}/reactivate`],
    ]
    for (const [method, path] of routes) {
      const response = await request(server.url, path, { method, key: BOOTSTRAP_KEY })
      assert.deepEqual([path, response.status, response.body.error], [path, 400, 'Bootstrap key cannot manage users. Create an admin key first.'])
    }
  })

  it('every user endpoint without manage_users: 403 with the seed’s text', async () => {
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_keys'])
    const id = (await create({ name: 'Target' })).id
    const routes: [string, string][] = [
      ['GET', '/v1/admin/users'], ['POST', '/v1/admin/users'], ['GET', `/v1/admin/users/${id}`], ['GET', '/v1/admin/users/by-external-id/x'],
      ['PATCH', `/v1/admin/users/${id}`], ['POST', `/v1/admin/users/${id}/suspend`], ['POST', `/v1/admin/users/${id}/reactivate`],
    ]
    for (const [method, path] of routes) {
      const response = await request(server.url, path, { method, key: narrow.key, ...(method !== 'GET' && { body: { name: 'N' } }) })
      assert.deepEqual([method, path, response.status, response.body], [method, path, 403, { success: false, error: 'Permission denied: manage_users required' }])
    }
  })

  it('POST without a usable name: 400 with the seed’s exact text', async () => {
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 12 }, { name: null }, { email: 'a@b.co' }]) {
      const response = await call('/v1/admin/users', { method: 'POST', body })
      assert.deepEqual([response.status, response.body], [400, { success: false, error: 'Name is required and must be a non-empty string' }], JSON.stringify(body))
    }
  })

  it('GET /:id and GET /by-external-id/:externalId return the user', async () => {
    const user = await create({ name: 'Findable', external_id: 'ext/1 é' })
    for (const path of [`/v1/admin/users/${user.id}`, `/v1/admin/users/by-external-id/${encodeURIComponent('ext/1 é')}`]) {
      const response = await call(path)
      assert.deepEqual([response.status, response.body], [200, { success: true, data: user }])
    }
    const missing = await call('/v1/admin/users/by-external-id/nobody')
    assert.deepEqual([missing.status, missing.body], [404, { success: false, error: 'User not found' }])
  })

  it('PATCH updates the given fields and sets updated_at', async () => {
    const user = await create({ name: 'Before', email: 'before@x.com', metadata: { a: 1 } })
    const changes = { name: 'After', email: 'after@x.com', external_id: 'after-1', metadata: { b: 2 }, billing_plan: 'enterprise', first_name: 'A', last_name: 'B' }
    const response = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: changes })
    assert.equal(response.status, 200)
    assert.equal(response.body.message, 'User account updated successfully')
    const updated = response.body.data
    assert.match(updated.updated_at, ISO)
    assert.deepEqual(updated, { ...user, ...changes, updated_at: updated.updated_at })
    assert.deepEqual((await call(`/v1/admin/users/${user.id}`)).body.data, updated)
    const cleared = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { email: null, billing_plan: null } })
    assert.deepEqual([cleared.body.data.email, cleared.body.data.billing_plan, cleared.body.data.name], [null, null, 'After'])
  })

  it('PATCH with an unknown or read-only field: 400 naming it, nothing changed', async () => {
    const user = await create({ name: 'Fixed' })
    for (const field of ['nickname', 'status', 'id', 'externalId']) {
      const response = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { name: 'Changed', [field]: 'x' } })
      assert.equal(response.status, 400)
      assert.equal(response.body.error, `Unknown field: ${field}`)
    }
    assert.equal((await call(`/v1/admin/users/${user.id}`)).body.data.name, 'Fixed')
  })

  it('suspend (with a reason) and reactivate are idempotent', async () => {
    const user = await create({ name: 'Cycled' })
    for (let i = 0; i < 2; i++) {
      const suspended = await call(`/v1/admin/users/${user.id}/suspend`, { method: 'POST', body: { reason: 'unpaid invoice' } })
      assert.deepEqual([suspended.status, suspended.body.message, suspended.body.data.status], [200, 'User account suspended successfully', 'suspended'])
      assert.match(suspended.body.data.updated_at, ISO)
    }
    const bare = await call(`/v1/admin/users/${user.id}/suspend`, { method: 'POST' })
    assert.deepEqual([bare.status, bare.body.data.status], [200, 'suspended'])
    for (let i = 0; i < 2; i++) {
      const active = await call(`/v1/admin/users/${user.id}/reactivate`, { method: 'POST' })
      assert.deepEqual([active.status, active.body.message, active.body.data.status], [200, 'User account reactivated successfully', 'active'])
    }
    const badReason = await call(`/v1/admin/users/${user.id}/suspend`, { method: 'POST', body: { reason: 5 } })
    assert.equal(badReason.status, 400)
    assert.match(badReason.body.error, /reason/)
  })
})
