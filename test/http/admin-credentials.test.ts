import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request, type RequestOptions } from '../helpers/http.js'
import { expectAdminError } from '../helpers/admin-error.js'
import { BOOTSTRAP_KEY, createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { settableClock } from '../helpers/settable-clock.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const CREDENTIAL_FIELDS = ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at', 'user_id']

describe('admin surface: credentials', () => {
  const clock = settableClock('2026-03-15T10:30:00.000Z')
  let server: TestServer
  let acme: TestTenant
  let beta: TestTenant
  let userId: string
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const create = (body: unknown, key = acme.key, id = userId) => request(server.url, `/v1/admin/users/${id}/credentials`, { method: 'POST', key, body })
  const expectError = expectAdminError

  before(async () => {
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestTenant(server.roster, 'Acme')
    beta = await createTestTenant(server.roster, 'Beta')
    userId = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Customer' } })).body.data.id
  })
  after(() => server.close())

  it('POST /v1/admin/users/:id/credentials: 201 with the key shown once', async () => {
    const response = await create({ name: 'Production', expires_at: '2027-01-01T00:00:00Z' })
    assert.equal(response.status, 201)
    assert.equal(response.body.message, 'Credential created successfully')
    const data = response.body.data
    assert.deepEqual(Object.keys(data).sort(), [...CREDENTIAL_FIELDS, 'key'].sort())
    assert.match(data.id, UUID)
    assert.match(data.key, /^rsk_live_[0-9A-Za-z]{40}$/)
    assert.deepEqual([data.user_id, data.name, data.prefix, data.created_at, data.expires_at, data.last_used_at, data.revoked_at],
      [userId, 'Production', data.key.slice(0, 13), clock.now(), '2027-01-01T00:00:00.000Z', null, null])
    const listed = await call(`/v1/admin/users/${userId}/credentials`)
    const shown = listed.body.data.find((c: { id: string }) => c.id === data.id)
    assert.deepEqual(Object.keys(shown).sort(), CREDENTIAL_FIELDS)
    assert.equal(JSON.stringify(listed.body).includes(data.key), false)
  })

  it('GET /v1/admin/users/:id/credentials: 200, newest first, revoked ones included, last use shown', async () => {
    const user = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Lister' } })).body.data.id
    const first = (await create({ name: 'First' }, acme.key, user)).body.data
    clock.advanceMs(1000)
    const second = (await create({ name: 'Second' }, acme.key, user)).body.data
    await call(`/v1/admin/credentials/${first.id}`, { method: 'DELETE' })
    clock.advanceMs(1000)
    await server.roster.credentials.verify(second.key)
    const response = await call(`/v1/admin/users/${user}/credentials`)
    assert.equal(response.status, 200)
    assert.equal(response.body.success, true)
    assert.deepEqual(response.body.data.map((c: any) => [c.name, c.revoked_at !== null, c.last_used_at]),
      [['Second', false, clock.now()], ['First', true, null]])
  })

  it('DELETE /v1/admin/credentials/:credentialId: 200, and the key stops verifying', async () => {
    const data = (await create({ name: 'Doomed' })).body.data
    clock.advanceMs(1000)
    const response = await call(`/v1/admin/credentials/${data.id}`, { method: 'DELETE' })
    assert.equal(response.status, 200)
    assert.equal(response.body.message, 'Credential revoked successfully')
    assert.deepEqual([response.body.data.id, response.body.data.revoked_at, 'key' in response.body.data], [data.id, clock.now(), false])
    assert.deepEqual(await server.roster.credentials.verify(data.key), { valid: false, reason: 'revoked' })
    const again = await call(`/v1/admin/credentials/${data.id}`, { method: 'DELETE' })
    assert.deepEqual([again.status, again.body.data.revoked_at], [200, response.body.data.revoked_at])
  })

  it('400 naming the wire field for bad bodies and query parameters', async () => {
    await expectError(create({}), 400, 'name is required and must be a non-empty string')
    await expectError(create({ name: '' }), 400, 'name is required and must be a non-empty string')
    await expectError(create({ name: 'x'.repeat(256) }), 400, 'name must be at most 255 characters')
    await expectError(create({ name: 'A', expires_at: 'next week' }), 400, /^expires_at must be an ISO 8601 date-time/)
    await expectError(create({ name: 'A', expires_at: '2020-01-01T00:00:00Z' }), 400, 'expires_at must be in the future')
    await expectError(create({ name: 'A', expiresAt: '2027-01-01T00:00:00Z' }), 400, 'Unknown field: expiresAt')
    await expectError(create({ name: 'A', key: 'rsk_live_chosen' }), 400, 'Unknown field: key')
    await expectError(create(['name']), 400, /./)
    await expectError(call(`/v1/admin/users/${userId}/credentials`, { method: 'POST', raw: '{"name":' , headers: { 'content-type': 'application/json' } }), 400, 'Malformed JSON body')
    await expectError(call(`/v1/admin/users/${userId}/credentials`, { method: 'POST', raw: 'name=A', headers: { 'content-type': 'text/plain' } }), 415, /Content-Type/)
    await expectError(call(`/v1/admin/users/${userId}/credentials?all=1`), 400, 'Unknown query parameter: all')
    await expectError(call(`/v1/admin/credentials/${userId}?force=1`, { method: 'DELETE' }), 400, 'Unknown query parameter: force')
  })

  it('404 for unknown, malformed and other tenants’ users and credentials', async () => {
    const betaUser = (await request(server.url, '/v1/admin/users', { method: 'POST', key: beta.key, body: { name: 'Beta user' } })).body.data.id
    const betaCredential = (await create({ name: 'Theirs' }, beta.key, betaUser)).body.data
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', betaUser]) {
      await expectError(create({ name: 'A' }, acme.key, id), 404, 'User not found')
      await expectError(call(`/v1/admin/users/${id}/credentials`), 404, 'User not found')
    }
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', betaCredential.id]) {
      await expectError(call(`/v1/admin/credentials/${id}`, { method: 'DELETE' }), 404, 'Credential not found')
    }
    assert.equal((await server.roster.credentials.verify(betaCredential.key)).valid, true)
  })

  it('401 without a valid admin key, or with a user credential; 403 without manage_credentials; 400 for the bootstrap key', async () => {
    const live = (await create({ name: 'As bearer' })).body.data.key
    const paths: [string, RequestOptions][] = [
      [`/v1/admin/users/${userId}/credentials`, { method: 'POST', body: { name: 'X' } }],
      [`/v1/admin/users/${userId}/credentials`, {}],
      ['/v1/admin/credentials/00000000-0000-4000-8000-000000000000', { method: 'DELETE' }],
    ]
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_users', 'record_usage'])
    for (const [path, options] of paths) {
      await expectError(request(server.url, path, options), 401, /^Missing API key/)
      await expectError(request(server.url, path, { ...options, key: 'rsk_admin_unknown' }), 401, 'Invalid or revoked API key')
      await expectError(request(server.url, path, { ...options, key: live }), 401, 'User credentials cannot call admin operations')
      await expectError(request(server.url, path, { ...options, key: narrow.key }), 403, 'Permission denied: manage_credentials required')
      await expectError(request(server.url, path, { ...options, key: BOOTSTRAP_KEY }), 400, 'Bootstrap key cannot manage credentials. Create an admin key first.')
    }
    const viaHeader = await request(server.url, `/v1/admin/users/${userId}/credentials`, { headers: { 'x-api-key': acme.key } })
    assert.equal(viaHeader.status, 200)
  })

  it('405 with Allow for a wrong method', async () => {
    const put = await call(`/v1/admin/users/${userId}/credentials`, { method: 'PUT', body: {} })
    assert.deepEqual([put.status, put.headers.get('allow'), put.body.success], [405, 'POST, GET', false])
    const get = await call('/v1/admin/credentials/00000000-0000-4000-8000-000000000000')
    assert.deepEqual([get.status, get.headers.get('allow')], [405, 'DELETE'])
  })
})
