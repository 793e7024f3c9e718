import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request, type RequestOptions } from '../helpers/http.js'
import { expectAdminError } from '../helpers/admin-error.js'
import { BOOTSTRAP_KEY, createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { settableClock } from '../helpers/settable-clock.js'

describe('POST /v1/verify', () => {
  const clock = settableClock('2026-03-15T10:30:00.000Z')
  let server: TestServer
  let acme: TestTenant
  let beta: TestTenant
  const admin = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const verify = (body: unknown, key = acme.key, options: RequestOptions = {}) =>
    request(server.url, '/v1/verify', { method: 'POST', key, body, ...options })
  const newUser = async (body: Record<string, unknown> = {}) => (await admin('/v1/admin/users', { method: 'POST', body: { name: 'Customer', ...body } })).body.data
  const newKey = async (userId: string, body: Record<string, unknown> = {}) =>
    (await admin(`/v1/admin/users/${userId}/credentials`, { method: 'POST', body: { name: 'Key', ...body } })).body.data
  const requests = async (userId: string) => (await admin(`/v1/admin/users/${userId}/usage?from=2026-01-01&to=2026-12-31`)).body.data.totals
  const expectError = expectAdminError
  const refused = async (key: string, reason: string, adminKey = acme.key) => {
    const response = await verify({ key }, adminKey)
    assert.equal(response.status, 200)
    assert.deepEqual(response.body, { success: true, data: { valid: false, reason } })
  }

  before(async () => {
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestTenant(server.roster, 'Acme')
    beta = await createTestTenant(server.roster, 'Beta')
  })
  after(() => server.close())

  it('200 valid with the user and the credential, metering one request and `units`', async () => {
    const user = await newUser({ external_id: 'cust_1' })
    const credential = await newKey(user.id)
    const response = await verify({ key: credential.key })
    assert.equal(response.status, 200)
    assert.equal(response.body.success, true)
    const data = response.body.data
    assert.deepEqual(Object.keys(data), ['valid', 'user', 'credential'])
    assert.deepEqual([data.valid, data.user, 'key' in data.credential], [true, user, false])
    const { key: _secret, ...shown } = credential
    assert.deepEqual(data.credential, { ...shown, last_used_at: clock.now() })
    assert.equal((await verify({ key: credential.key, units: 25 })).body.data.valid, true)
    assert.equal((await verify({ key: credential.key, units: 0 })).body.data.valid, true)
    assert.deepEqual(await requests(user.id), { requests: 3, units: 26 })
  })

  it('a key holding record_usage but not manage_users sees only the user’s id, external_id, status and billing_plan', async () => {
    const user = await newUser({ external_id: 'cust_least', email: 'private@acme.com', metadata: { secret: 'sauce' }, billing_plan: 'pro' })
    const credential = await newKey(user.id)
    const recorder = (await admin('/v1/admin/keys', { method: 'POST', body: { permissions: ['record_usage'] } })).body.data.key
    const response = await verify({ key: credential.key }, recorder)
    assert.equal(response.status, 200)
    assert.deepEqual(response.body.data.user, { id: user.id, external_id: 'cust_least', status: 'active', billing_plan: 'pro' })
    assert.ok(!JSON.stringify(response.body).includes('private@acme.com') && !JSON.stringify(response.body).includes('sauce'))
    const { key: _secret, ...shown } = credential
    assert.deepEqual(response.body.data.credential, { ...shown, last_used_at: clock.now() })
    const both = (await admin('/v1/admin/keys', { method: 'POST', body: { permissions: ['record_usage', 'manage_users'] } })).body.data.key
    assert.deepEqual((await verify({ key: credential.key }, both)).body.data.user, user)
  })

  it('answers account_expired from the account’s expires_at on, and valid again once it moves later', async () => {
    const account = (await request(server.url, '/api/v3/iam/accounts', {
      method: 'POST', key: acme.key, body: { data: { type: 'accounts', attributes: { email: 'leaving@acme.com', expires_at: '2026-03-15T11:00:00Z' } } },
    })).body.data
    const userId = (await admin('/v1/admin/users?email=leaving@acme.com')).body.data[0].id
    const credential = await newKey(userId)
    assert.equal((await verify({ key: credential.key })).body.data.valid, true)
    const me = () => request(server.url, '/api/v3/iam/accounts/me', { key: credential.key })
    assert.equal((await me()).status, 200)
    clock.set('2026-03-15T11:00:00.000Z')
    await refused(credential.key, 'account_expired')
    const meRefused = await me()
    assert.deepEqual([meRefused.status, meRefused.body.errors[0].detail], [401, 'Invalid or revoked API key'])
    await request(server.url, `/api/v3/iam/accounts/${account.id}`, {
      method: 'PATCH', key: acme.key, body: { data: { type: 'accounts', attributes: { expires_at: '2026-03-16T00:00:00Z' } } },
    })
    assert.equal((await verify({ key: credential.key })).body.data.valid, true)
    assert.equal((await me()).status, 200)
    clock.set('2026-03-15T10:30:00.000Z')
  })

  it('answers each refusal reason: not_found, revoked, expired, user_suspended, user_pending', async () => {
    const user = await newUser()
    const revoked = await newKey(user.id)
    await admin(`/v1/admin/credentials/${revoked.id}`, { method: 'DELETE' })
    const expiring = await newKey(user.id, { expires_at: '2026-03-15T11:00:00Z' })
    const live = await newKey(user.id)
    await refused('rsk_live_doesnotexist', 'not_found')
    await refused(live.key.slice(0, -1), 'not_found')
    await refused(revoked.key, 'revoked')
    clock.set('2026-03-15T11:00:00.000Z')
    await refused(expiring.key, 'expired')
    await admin(`/v1/admin/users/${user.id}/suspend`, { method: 'POST', body: { reason: 'unpaid' } })
    await refused(live.key, 'user_suspended')
    await admin(`/v1/admin/users/${user.id}/reactivate`, { method: 'POST', body: {} })
    assert.equal((await verify({ key: live.key })).body.data.valid, true)
    const pending = await newUser({ status: 'pending' })
    await refused((await newKey(pending.id)).key, 'user_pending')
    await server.roster.users.delete(acme.principal, user.id)
    await refused(live.key, 'revoked')
    clock.set('2026-03-15T10:30:00.000Z')
  })

  it('a credential of another tenant is not_found, never its reason or its user', async () => {
    const theirs = (await request(server.url, '/v1/admin/users', { method: 'POST', key: beta.key, body: { name: 'Beta user' } })).body.data
    const key = (await request(server.url, `/v1/admin/users/${theirs.id}/credentials`, { method: 'POST', key: beta.key, body: { name: 'k' } })).body.data
    await refused(key.key, 'not_found')
    await server.roster.users.suspend(beta.principal, theirs.id)
    await refused(key.key, 'not_found')
    await refused(key.key, 'user_suspended', beta.key)
    const usage = await request(server.url, `/v1/admin/users/${theirs.id}/usage?from=2026-01-01&to=2026-12-31`, { key: beta.key })
    assert.deepEqual(usage.body.data.totals, { requests: 0, units: 0 })
  })

  it('400 for a bad body, naming the field', async () => {
    const live = (await newKey((await newUser()).id)).key
    await expectError(verify({}), 400, 'key is required and must be a non-empty string')
    await expectError(verify({ key: '' }), 400, 'key is required and must be a non-empty string')
    await expectError(verify({ key: 42 }), 400, 'key is required and must be a non-empty string')
    await expectError(verify({ key: live, units: -1 }), 400, 'units must be an integer from 0 to 1000000')
    await expectError(verify({ key: live, units: 1.5 }), 400, 'units must be an integer from 0 to 1000000')
    await expectError(verify({ key: live, units: '2' }), 400, 'units must be an integer from 0 to 1000000')
    await expectError(verify({ key: live, tenant_id: beta.tenantId }), 400, 'Unknown field: tenant_id')
    await expectError(verify({ key: live, tenantId: beta.tenantId }), 400, 'Unknown field: tenantId')
    await expectError(verify([live]), 400, 'Request body must be a JSON object')
    await expectError(request(server.url, '/v1/verify', { method: 'POST', key: acme.key }), 400, 'Request body must be a JSON object')
    await expectError(request(server.url, '/v1/verify', { method: 'POST', key: acme.key, raw: '{"key":', headers: { 'content-type': 'application/json' } }), 400, 'Malformed JSON body')
    await expectError(request(server.url, '/v1/verify', { method: 'POST', key: acme.key, raw: `key=${live}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, /Content-Type/)
    await expectError(request(server.url, '/v1/verify?units=2', { method: 'POST', key: acme.key, body: { key: live } }), 400, 'Unknown query parameter: units')
  })

  it('401 without an admin key or with a user credential, 403 without record_usage, 400 for the bootstrap key, 405 for GET', async () => {
    const live = (await newKey((await newUser()).id)).key
    await expectError(request(server.url, '/v1/verify', { method: 'POST', body: { key: live } }), 401, /^Missing API key/)
    await expectError(verify({ key: live }, 'rsk_admin_unknown'), 401, 'Invalid or revoked API key')
    await expectError(verify({ key: live }, live), 401, 'User credentials cannot call admin operations')
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_users', 'manage_credentials'])
    await expectError(verify({ key: live }, narrow.key), 403, 'Permission denied: record_usage required')
    // The permission is checked before the body: a key without record_usage learns nothing about the body's faults.
    await expectError(verify({ units: 2 }, narrow.key), 403, 'Permission denied: record_usage required')
    await expectError(verify({ key: live }, BOOTSTRAP_KEY), 400, 'Bootstrap key cannot record usage. Create an admin key first.')
    const recorder = await createTestTenant(server.roster, 'Recorder', ['record_usage'])
    await refused(live, 'not_found', recorder.key)
    const viaHeader = await request(server.url, '/v1/verify', { method: 'POST', body: { key: live }, headers: { 'x-api-key': acme.key } })
    assert.equal(viaHeader.body.data.valid, true)
    const get = await request(server.url, '/v1/verify', { key: acme.key })
    assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST'])
  })
})
