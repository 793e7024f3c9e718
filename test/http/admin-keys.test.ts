import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PERMISSIONS } from '../../src/index.js'
import { request } from '../helpers/http.js'
import { BOOTSTRAP_KEY } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('admin surface: /v1/admin/keys', () => {
  let server: TestServer
  const post = (key: string, body: unknown) => request(server.url, '/v1/admin/keys', { method: 'POST', key, body })
  /** A new tenant through the HTTP bootstrap flow; returns the created key's data. */
  const bootstrapTenant = async (body: Record<string, unknown>) => {
    const response = await post(BOOTSTRAP_KEY, body)
    assert.equal(response.status, 201, JSON.stringify(response.body))
    return response.body.data
  }

  before(async () => {
    server = await startTestServer()
  })
  after(() => server.close())

  it('bootstrap key: creates a tenant and its all-permission admin key, 201 with the secret shown once', async () => {
    const response = await post(BOOTSTRAP_KEY, { entity_name: 'Acme' })
    assert.equal(response.status, 201)
    assert.equal(response.body.message, 'Admin key created successfully')
    const data = response.body.data
    assert.deepEqual(Object.keys(data).sort(), ['admin_entity_name', 'created_at', 'id', 'key', 'name', 'permissions', 'tenant_id'])
    assert.match(data.id, UUID)
    assert.match(data.tenant_id, UUID)
    assert.match(data.key, /^rsk_admin_[0-9A-Za-z]{40}$/)
    assert.deepEqual([data.admin_entity_name, [...data.permissions].sort()], ['Acme', [...PERMISSIONS].sort()])
    const created = await request(server.url, '/v1/admin/users', { method: 'POST', key: data.key, body: { name: 'First' } })
    assert.deepEqual([created.status, created.body.data.admin_key_id, created.body.data.admin_entity_name], [201, data.id, 'Acme'])
  })

  it('bootstrap key: creates the owner user when given, visible on the user routes', async () => {
    const data = await bootstrapTenant({ entity_name: 'Owned', name: 'Root', owner: { email_address: 'ada@owned.com', first_name: 'Ada', last_name: 'Lovelace' } })
    assert.equal(data.name, 'Root')
    assert.deepEqual([data.owner.email, data.owner.first_name, data.owner.name, data.owner.admin_key_id], ['ada@owned.com', 'Ada', 'Ada Lovelace', data.id])
    const listed = await request(server.url, '/v1/admin/users', { key: data.key })
    assert.deepEqual(listed.body.data.map((u: { id: string }) => u.id), [data.owner.id])
  })

  it('bootstrap key: bad bodies are 400 naming the wire field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^entity_name is required and must be a non-empty string$/],
      [{ entity_name: '' }, /^entity_name is required/],
      [{ entity_name: 'A', permissions: ['root'] }, /permissions/],
      [{ entity_name: 'A', owner: { email_address: 'bad', first_name: 'A', last_name: 'B' } }, /^owner\.email_address must be a valid email address$/],
      [{ entity_name: 'A', entityName: 'B' }, /^Unknown field: entityName$/],
    ]
    for (const [body, message] of cases) {
      const response = await post(BOOTSTRAP_KEY, body)
      assert.equal(response.status, 400, JSON.stringify(body))
      assert.equal(response.body.success, false)
      assert.match(response.body.error, message)
    }
  })

  it('admin key: creates a narrowed key for its own tenant that can do only what it was given', async () => {
    const admin = await bootstrapTenant({ entity_name: 'Narrowing' })
    const response = await post(admin.key, { name: 'Users only', permissions: ['manage_users'] })
    assert.equal(response.status, 201)
    const narrow = response.body.data
    assert.deepEqual([narrow.name, narrow.permissions, narrow.tenant_id, narrow.admin_entity_name], ['Users only', ['manage_users'], admin.tenant_id, 'Narrowing'])
    assert.equal((await request(server.url, '/v1/admin/users', { key: narrow.key })).status, 200)
    const denied = await request(server.url, '/v1/admin/keys', { key: narrow.key })
    assert.deepEqual([denied.status, denied.body], [403, { success: false, error: 'Permission denied: manage_keys required' }])
  })

  it('admin key: refuses to grant a permission it lacks (403) and refuses entity_name (400)', async () => {
    const admin = await bootstrapTenant({ entity_name: 'Escalation', permissions: ['manage_keys', 'record_usage'] })
    const escalate = await post(admin.key, { permissions: ['manage_users'] })
    assert.equal(escalate.status, 403)
    assert.match(escalate.body.error, /manage_users/)
    const entity = await post(admin.key, { entity_name: 'Another tenant' })
    assert.deepEqual([entity.status, entity.body], [400, { success: false, error: 'Unknown field: entity_name' }])
    const keys = await request(server.url, '/v1/admin/keys', { key: admin.key })
    assert.equal(keys.body.data.length, 1)
  })

  it('GET lists the tenant’s keys without secrets', async () => {
    const admin = await bootstrapTenant({ entity_name: 'Listing' })
    const second = (await post(admin.key, { name: 'Second' })).body.data
    await bootstrapTenant({ entity_name: 'Elsewhere' })
    const response = await request(server.url, '/v1/admin/keys', { key: admin.key })
    assert.equal(response.status, 200)
    assert.deepEqual(response.body.data.map((k: { id: string }) => k.id).sort(), [admin.id, second.id].sort())
    for (const key of response.body.data) {
      assert.deepEqual(Object.keys(key).sort(), ['created_at', 'id', 'name', 'permissions', 'prefix', 'revoked_at', 'tenant_id'])
      assert.ok(admin.key.startsWith(key.prefix) || second.key.startsWith(key.prefix))
    }
    const text = JSON.stringify(response.body)
    assert.ok(!text.includes(admin.key) && !text.includes(second.key))
  })

  it('DELETE revokes a key: it gets 401 from then on; other tenants’ and malformed ids are 404', async () => {
    const admin = await bootstrapTenant({ entity_name: 'Revoking' })
    const other = await bootstrapTenant({ entity_name: 'Other' })
    const temp = (await post(admin.key, { name: 'Temp' })).body.data
    const revoked = await request(server.url, `/v1/admin/keys/${temp.id}`, { method: 'DELETE', key: admin.key })
    assert.deepEqual([revoked.status, revoked.body.message, revoked.body.data.id], [200, 'Admin key revoked successfully', temp.id])
    assert.equal(typeof revoked.body.data.revoked_at, 'string')
    const refused = await request(server.url, '/v1/admin/users', { key: temp.key })
    assert.deepEqual([refused.status, refused.body], [401, { success: false, error: 'Invalid or revoked API key' }])
    for (const id of [other.id, 'not-a-key']) {
      const response = await request(server.url, `/v1/admin/keys/${id}`, { method: 'DELETE', key: admin.key })
      assert.deepEqual([response.status, response.body], [404, { success: false, error: 'Admin key not found' }])
    }
    assert.equal((await request(server.url, '/v1/admin/keys', { key: other.key })).status, 200)
  })

  it('a key in use, answered from the key cache, is refused on the very next request after its revocation', async () => {
    const admin = await bootstrapTenant({ entity_name: 'Busy' })
    const busy = (await post(admin.key, { name: 'Busy' })).body.data
    for (let i = 0; i < 3; i++) assert.equal((await request(server.url, '/v1/admin/users', { key: busy.key })).status, 200)
    // Requests keep arriving with the key while it is revoked; whatever they got, the next one after the revocation is a 401.
    const inFlight = Array.from({ length: 20 }, () => request(server.url, '/v1/admin/users', { key: busy.key }))
    const revoked = await request(server.url, `/v1/admin/keys/${busy.id}`, { method: 'DELETE', key: admin.key })
    assert.equal(revoked.status, 200)
    assert.equal((await request(server.url, '/v1/admin/users', { key: busy.key })).status, 401)
    assert.ok((await Promise.all(inFlight)).every((response) => response.status === 200 || response.status === 401))
    assert.equal((await request(server.url, '/v1/admin/users', { key: busy.key })).status, 401)
  })

  it('the bootstrap key cannot list keys', async () => {
    assert.equal((await request(server.url, '/v1/admin/keys', { key: BOOTSTRAP_KEY })).status, 400)
  })
})
