import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { BOOTSTRAP_KEY, createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

describe('admin surface: GET /v1/admin/audit', () => {
  let server: TestServer
  let acme: TestTenant
  const call = (path: string, options: Parameters<typeof request>[2] = {}) => request(server.url, path, { key: acme.key, ...options })
  const audit = async (query = '') => {
    const response = await call(`/v1/admin/audit${query}`)
    assert.equal(response.status, 200, JSON.stringify(response.body))
    return response.body
  }
  const refused = async (query: string, status: number, error: string, key = acme.key) => {
    const response = await request(server.url, `/v1/admin/audit${query}`, { key })
    assert.deepEqual([response.status, response.body], [status, { success: false, error }])
  }

  beforeEach(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
  })
  afterEach(() => server.close())

  it('records changes made on each surface with its name and the request id it answered with', async () => {
    const created = await call('/v1/admin/users', { method: 'POST', body: { name: 'Ada', billing_plan: 'pro' }, headers: { 'x-request-id': 'req-admin-1' } })
    assert.equal(created.status, 201)
    const user = created.body.data
    const patched = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { billing_plan: 'team' } })
    const iam = await call('/api/v3/iam/accounts', { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'iam@acme.test' } } } })
    assert.equal(iam.status, 201)
    const third = await call(`/accounts/${acme.tenantId}/users`, { method: 'POST', body: { email_address: 'au@acme.test', first_name: 'A', last_name: 'U' } })
    assert.equal(third.status, 201)

    const { data, pagination } = await audit()
    assert.deepEqual(pagination, { limit: 50, has_more: false, next_cursor: null })
    assert.deepEqual(data.map((e: Record<string, unknown>) => [e.action, e.surface]).slice(0, 4), [
      ['user.created', 'account-users'], ['user.created', 'iam'], ['user.updated', 'admin'], ['user.created', 'admin'],
    ])
    const [, , update, create] = data
    assert.equal(create.request_id, 'req-admin-1')
    assert.equal(update.request_id, patched.headers.get('x-request-id'))
    assert.deepEqual(Object.keys(create), [
      'id', 'tenant_id', 'at', 'actor', 'actor_type', 'surface', 'request_id', 'action', 'target_type', 'target_id', 'fields', 'before', 'after',
    ])
    assert.deepEqual({ ...update, id: undefined, at: undefined, request_id: undefined }, {
      id: undefined, tenant_id: acme.tenantId, at: undefined, actor: acme.keyId, actor_type: 'key', surface: 'admin', request_id: undefined,
      action: 'user.updated', target_type: 'user', target_id: user.id, fields: ['billing_plan'], before: { billing_plan: 'pro' }, after: { billing_plan: 'team' },
    })
    assert.ok(create.fields.includes('billing_plan') && create.after.billing_plan === 'pro')
  })

  it('filters by actor, action, target, target_type and time, and pages with next_cursor', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await call('/v1/admin/users', { method: 'POST', body: { name: `U${i}` } })).body.data.id)
    assert.equal((await audit('?action=user.created')).data.length, 5)
    assert.equal((await audit(`?actor=${acme.keyId}`)).data.length, 5)
    assert.equal((await audit('?actor=host')).data.length, 0)
    assert.deepEqual((await audit(`?target=${ids[2]}`)).data.map((e: { target_id: string }) => e.target_id), [ids[2]])
    assert.deepEqual((await audit('?target_type=tenant')).data.map((e: { action: string }) => e.action), ['tenant.created'])
    assert.equal((await audit('?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).data.length, 0)
    assert.equal((await audit(`?from=2000-01-01&to=${encodeURIComponent('2999-01-01T00:00:00+00:00')}`)).data.length, 7)
    const seen: string[] = []
    let query = '?limit=3'
    for (;;) {
      const page = await audit(query)
      seen.push(...page.data.map((e: { id: string }) => e.id))
      if (!page.pagination.has_more) {
        assert.equal(page.pagination.next_cursor, null)
        break
      }
      query = `?limit=3&cursor=${page.pagination.next_cursor}`
    }
    assert.deepEqual(seen, (await audit()).data.map((e: { id: string }) => e.id))
    assert.equal(seen.length, 7)
  })

  it('never shows a secret: not a credential secret, a key, a password or a reset token', async () => {
    const user = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Ada' } })).body.data
    const credential = (await call(`/v1/admin/users/${user.id}/credentials`, { method: 'POST', body: { name: 'CI' } })).body.data
    const key = (await call('/v1/admin/keys', { method: 'POST', body: { name: 'Ops' } })).body.data
    const account = await call('/api/v3/iam/accounts', { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'p@acme.test', password: 'correct horse battery' } } } })
    assert.equal(account.status, 201)
    const log = await audit()
    const body = JSON.stringify(log)
    const secrets = [credential.secret, credential.key, key.key, 'correct horse battery'].filter((s) => typeof s === 'string')
    assert.equal(secrets.length, 3)
    for (const secret of secrets) assert.ok(!body.includes(secret), 'a secret reached the audit log')
    assert.ok(!/secret_hash|password_hash|reset_token_hash/.test(body))
    const withPassword = log.data.find((e: { target_type: string; fields: string[] }) => e.target_type === 'user' && e.fields.includes('password'))
    assert.ok(withPassword, 'the account created with a password names the password among its fields')
    assert.equal(withPassword.after.password, undefined)
    assert.equal(withPassword.before.password, undefined)
  })

  it('answers bad filters with 400 naming the parameter, and refuses keys without view_audit', async () => {
    await refused('?action=user.exploded', 400, 'action must be one of the audit actions (see the README), e.g. user.created')
    await refused('?target_type=planet', 400, 'target_type must be one of tenant, key, user, credential, role, group')
    await refused('?from=yesterday', 400, 'from must be an ISO 8601 date-time with a timezone, e.g. 2026-01-26T12:00:00Z')
    await refused('?from=2026-01-02&to=2026-01-01', 400, 'to must be later than from')
    await refused('?cursor=abc', 400, 'cursor is not a cursor returned by this list')
    await refused('?limit=0', 400, 'limit must be an integer from 1 to 1000')
    await refused('?limit=many', 400, 'limit must be an integer from 1 to 1000')
    await refused('?colour=red', 400, 'Unknown query parameter: colour')
    await refused('?actor=a&actor=b', 400, 'Query parameter actor must be given once')
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_users'])
    await refused('', 403, 'Permission denied: view_audit required', narrow.key)
    await refused('', 400, 'Bootstrap key cannot view audit. Create an admin key first.', BOOTSTRAP_KEY)
    const anonymous = await request(server.url, '/v1/admin/audit')
    assert.equal(anonymous.status, 401)
    assert.equal(anonymous.body.success, false)
    const post = await call('/v1/admin/audit', { method: 'POST', body: {} })
    assert.deepEqual([post.status, post.headers.get('allow')], [405, 'GET'])
  })

  it("shows a key only its own tenant's entries", async () => {
    const beta = await createTestTenant(server.roster, 'Beta')
    await call('/v1/admin/users', { method: 'POST', body: { name: 'Ada' } })
    const betaLog = await request(server.url, '/v1/admin/audit', { key: beta.key })
    assert.deepEqual(betaLog.body.data.map((e: { action: string; tenant_id: string }) => [e.action, e.tenant_id]), [
      ['key.created', beta.tenantId], ['tenant.created', beta.tenantId],
    ])
  })
})
