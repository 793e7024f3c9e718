import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PERMISSIONS } from '../../src/index.js'
import { expectAdminError } from '../helpers/admin-error.js'
import { request } from '../helpers/http.js'
import { BOOTSTRAP_KEY } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const KEYS = '/v1/admin/keys'

describe('admin surface: key policy and the recovery path', () => {
  let server: TestServer
  const post = (key: string, body: unknown) => request(server.url, KEYS, { method: 'POST', key, body })
  const revoke = (key: string, id: string) => request(server.url, `${KEYS}/${id}`, { method: 'DELETE', key })
  const tenant = async (name: string) => (await post(BOOTSTRAP_KEY, { entity_name: name })).body.data

  before(async () => {
    server = await startTestServer()
  })
  after(() => server.close())

  it('DELETE: a manage_keys-only key cannot revoke the all-permission key (403); it can revoke its equals', async () => {
    const root = await tenant('Escalation')
    const narrow = (await post(root.key, { name: 'Keys only', permissions: ['manage_keys'] })).body.data
    await expectAdminError(revoke(narrow.key, root.id), 403,
      'Permission denied: cannot revoke a key holding manage_users, manage_credentials, record_usage, manage_roles, manage_groups, view_audit without holding it')
    assert.equal((await request(server.url, '/v1/admin/users', { key: root.key })).status, 200)
    const twin = (await post(root.key, { permissions: ['manage_keys'] })).body.data
    assert.equal((await revoke(narrow.key, twin.id)).status, 200)
  })

  it('DELETE of the last active key holding manage_keys: 409 with a clear message; fine once another exists', async () => {
    const root = await tenant('Lockout')
    await expectAdminError(revoke(root.key, root.id), 409,
      'Cannot revoke the last active key holding manage_keys: create another key with manage_keys first')
    const spare = (await post(root.key, { name: 'Spare' })).body.data
    const revoked = await revoke(root.key, root.id)
    assert.deepEqual([revoked.status, revoked.body.message], [200, 'Admin key revoked successfully'])
    await expectAdminError(revoke(spare.key, spare.id), 409, /last active key holding manage_keys/)
  })

  it('POST with the bootstrap key and {"tenant_id"}: a recovery key for an existing tenant, 201, shown once', async () => {
    const lost = await tenant('Lost')
    const response = await post(BOOTSTRAP_KEY, { tenant_id: lost.tenant_id })
    assert.deepEqual([response.status, response.body.message], [201, 'Admin key created successfully'])
    const data = response.body.data
    assert.deepEqual([data.tenant_id, data.admin_entity_name, data.name, [...data.permissions].sort()], [lost.tenant_id, 'Lost', 'Recovery key', [...PERMISSIONS].sort()])
    assert.match(data.key, /^rsk_admin_/)
    const listed = await request(server.url, KEYS, { key: data.key })
    assert.deepEqual(listed.body.data.map((k: { name: string }) => k.name).sort(), ['Admin key', 'Recovery key'])
    const named = await post(BOOTSTRAP_KEY, { tenant_id: lost.tenant_id, name: 'Support', permissions: ['manage_users'] })
    assert.deepEqual([named.status, named.body.data.name, named.body.data.permissions], [201, 'Support', ['manage_users']])
  })

  it('recovery refuses unknown tenants (404), bad bodies (400), and admin keys naming a tenant (400)', async () => {
    const some = await tenant('Some')
    await expectAdminError(post(BOOTSTRAP_KEY, { tenant_id: '00000000-0000-4000-8000-000000000000' }), 404, 'Tenant not found')
    await expectAdminError(post(BOOTSTRAP_KEY, { tenant_id: 'nope' }), 404, 'Tenant not found')
    await expectAdminError(post(BOOTSTRAP_KEY, { tenant_id: 7 }), 400, 'tenant_id must be a string')
    await expectAdminError(post(BOOTSTRAP_KEY, { tenant_id: some.tenant_id, entity_name: 'Other' }), 400, 'Unknown field: entity_name')
    await expectAdminError(post(BOOTSTRAP_KEY, { tenant_id: some.tenant_id, tenantId: some.tenant_id }), 400, 'Unknown field: tenantId')
    await expectAdminError(post(some.key, { tenant_id: some.tenant_id }), 400, 'Unknown field: tenant_id')
    assert.equal((await request(server.url, KEYS, { key: some.key })).body.data.length, 1)
  })
})
