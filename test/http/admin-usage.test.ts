import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request, type RequestOptions } from '../helpers/http.js'
import { expectAdminError } from '../helpers/admin-error.js'
import { BOOTSTRAP_KEY, createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { settableClock } from '../helpers/settable-clock.js'

describe('admin surface: usage (seed 000)', () => {
  const clock = settableClock('2026-03-01T00:00:00.000Z')
  let server: TestServer
  let acme: TestTenant
  let beta: TestTenant
  const users: Record<string, { id: string; keys: { id: string; key: string }[] }> = {}
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const expectError = expectAdminError
  async function verify(key: string, at: string, times: number, units = 1) {
    clock.set(at)
    for (let i = 0; i < times; i++) {
      const response = await request(server.url, '/v1/verify', { method: 'POST', key: acme.key, body: { key, units } })
      assert.equal(response.body.data.valid, true)
    }
  }

  before(async () => {
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestTenant(server.roster, 'Acme')
    beta = await createTestTenant(server.roster, 'Beta')
    for (const [name, external] of [['Ada', 'ada'], ['Bob', 'bob'], ['Carol', 'carol']] as const) {
      const id = (await call('/v1/admin/users', { method: 'POST', body: { name, external_id: external, email: `${external}@acme.test` } })).body.data.id
      const keys = []
      for (const label of ['one', 'two']) keys.push((await call(`/v1/admin/users/${id}/credentials`, { method: 'POST', body: { name: label } })).body.data)
      users[name] = { id, keys }
    }
    await verify(users.Ada!.keys[0]!.key, '2026-03-02T09:00:00Z', 3, 2)
    await verify(users.Ada!.keys[1]!.key, '2026-03-03T23:30:00Z', 1, 10)
    await verify(users.Bob!.keys[0]!.key, '2026-03-03T12:00:00Z', 5)
    await verify(users.Carol!.keys[0]!.key, '2026-02-27T12:00:00Z', 7)
    await call(`/v1/admin/credentials/${users.Ada!.keys[1]!.id}`, { method: 'DELETE' })
    clock.set('2026-03-20T08:00:00Z')
  })
  after(() => server.close())

  it('GET /v1/admin/users/:id/usage: the current UTC month by default, per credential (revoked too) and per day', async () => {
    const response = await call(`/v1/admin/users/${users.Ada!.id}/usage`)
    assert.equal(response.status, 200)
    assert.equal(response.body.success, true)
    const data = response.body.data
    assert.deepEqual(Object.keys(data), ['user_id', 'period', 'totals', 'credentials', 'daily'])
    assert.deepEqual([data.user_id, data.period, data.totals], [users.Ada!.id, { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' }, { requests: 4, units: 16 }])
    const byId = Object.fromEntries(data.credentials.map((c: any) => [c.credential_id, c]))
    const [one, two] = users.Ada!.keys
    assert.deepEqual(Object.keys(byId[one!.id]), ['credential_id', 'name', 'prefix', 'revoked_at', 'requests', 'units'])
    assert.deepEqual([byId[one!.id].requests, byId[one!.id].units, byId[one!.id].revoked_at], [3, 6, null])
    assert.deepEqual([byId[two!.id].requests, byId[two!.id].units, typeof byId[two!.id].revoked_at], [1, 10, 'string'])
    assert.deepEqual(data.daily, [{ date: '2026-03-02', requests: 3, units: 6 }, { date: '2026-03-03', requests: 1, units: 10 }])
  })

  it('GET /v1/admin/users/:id/usage?from&to: dates are whole UTC days, timestamps whole hours', async () => {
    const usage = async (query: string) => (await call(`/v1/admin/users/${users.Ada!.id}/usage?${query}`)).body.data
    assert.deepEqual((await usage('from=2026-03-03&to=2026-03-03')).totals, { requests: 1, units: 10 })
    const hour = await usage('from=2026-03-02T09:00:00Z&to=2026-03-02T09:59:59Z')
    assert.deepEqual([hour.totals.requests, hour.period], [3, { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T10:00:00.000Z' }])
    assert.deepEqual((await usage('from=2026-02-01&to=2026-02-28')).totals, { requests: 0, units: 0 })
    const carol = (await call(`/v1/admin/users/${users.Carol!.id}/usage?from=2026-02-01`)).body.data
    assert.deepEqual([carol.totals.requests, carol.daily], [7, [{ date: '2026-02-27', requests: 7, units: 7 }]])
  })

  it('GET /v1/admin/users/usage/summary: tenant totals and users by requests, with pagination', async () => {
    const response = await call('/v1/admin/users/usage/summary')
    assert.equal(response.status, 200)
    const { data, pagination } = response.body
    assert.deepEqual([data.period, data.totals], [{ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' }, { requests: 9, units: 21 }])
    assert.deepEqual(data.users, [
      { user_id: users.Bob!.id, external_id: 'bob', name: 'Bob', email: 'bob@acme.test', status: 'active', deleted: false, requests: 5, units: 5 },
      { user_id: users.Ada!.id, external_id: 'ada', name: 'Ada', email: 'ada@acme.test', status: 'active', deleted: false, requests: 4, units: 16 },
    ])
    assert.deepEqual(pagination, { total: 2, limit: 50, offset: 0, has_more: false })
    const page = await call('/v1/admin/users/usage/summary?from=2026-02-01&to=2026-03-31&limit=2&offset=0')
    assert.deepEqual([page.body.data.users.map((u: any) => u.name), page.body.data.totals.requests, page.body.pagination],
      [['Carol', 'Bob'], 16, { total: 3, limit: 2, offset: 0, has_more: true }])
    const last = await call('/v1/admin/users/usage/summary?from=2026-02-01&to=2026-03-31&limit=2&offset=2')
    assert.deepEqual([last.body.data.users.map((u: any) => u.name), last.body.pagination.has_more], [['Ada'], false])
    const theirs = await request(server.url, '/v1/admin/users/usage/summary', { key: beta.key })
    assert.deepEqual([theirs.body.data.totals, theirs.body.data.users], [{ requests: 0, units: 0 }, []])
  })

  it('keeps a deleted user’s usage in the summary, marked deleted', async () => {
    const gone = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Gone' } })).body.data.id
    const key = (await call(`/v1/admin/users/${gone}/credentials`, { method: 'POST', body: { name: 'k' } })).body.data.key
    await verify(key, '2026-01-10T00:00:00Z', 2)
    await server.roster.users.delete(acme.principal, gone)
    clock.set('2026-03-20T08:00:00Z')
    const summary = (await call('/v1/admin/users/usage/summary?from=2026-01-01&to=2026-01-31')).body.data
    assert.deepEqual(summary.users, [{ user_id: gone, external_id: null, name: null, email: null, status: null, deleted: true, requests: 2, units: 2 }])
    await expectError(call(`/v1/admin/users/${gone}/usage`), 404, 'User not found')
  })

  it('400 naming the parameter for bad dates, from after to, bad paging and unknown parameters', async () => {
    const summary = '/v1/admin/users/usage/summary'
    const user = `/v1/admin/users/${users.Ada!.id}/usage`
    for (const path of [summary, user]) {
      await expectError(call(`${path}?from=yesterday`), 400, 'from must be an ISO 8601 date (YYYY-MM-DD) or timestamp')
      await expectError(call(`${path}?to=2026-02-30`), 400, 'to must be an ISO 8601 date (YYYY-MM-DD) or timestamp')
      await expectError(call(`${path}?to=2026-03-01T10:00:00`), 400, 'to must be an ISO 8601 date (YYYY-MM-DD) or timestamp')
      await expectError(call(`${path}?from=2026-03-10&to=2026-03-01`), 400, 'from must not be after to')
      await expectError(call(`${path}?from=2026-03-01&from=2026-03-02`), 400, 'Query parameter from must be given once')
      await expectError(call(`${path}?start=2026-03-01`), 400, 'Unknown query parameter: start')
    }
    await expectError(call(`${summary}?limit=0`), 400, 'limit must be an integer from 1 to 1000')
    await expectError(call(`${summary}?limit=ten`), 400, 'limit must be an integer from 1 to 1000')
    await expectError(call(`${summary}?offset=-1`), 400, /^offset must be an integer from 0/)
    await expectError(call(`${user}?limit=5`), 400, 'Unknown query parameter: limit')
  })

  it('routes /usage/summary before any user id, and answers 404 for unknown or other tenants’ users', async () => {
    await expectError(call('/v1/admin/users/usage'), 404, 'User not found')
    await expectError(call('/v1/admin/users/not-a-uuid/usage'), 404, 'User not found')
    await expectError(call('/v1/admin/users/00000000-0000-4000-8000-000000000000/usage'), 404, 'User not found')
    await expectError(request(server.url, `/v1/admin/users/${users.Ada!.id}/usage`, { key: beta.key }), 404, 'User not found')
    const post = await call('/v1/admin/users/usage/summary', { method: 'POST', body: {} })
    assert.deepEqual([post.status, post.headers.get('allow')], [405, 'GET'])
  })

  it('401 without a valid admin key, 403 without manage_users, 400 for the bootstrap key', async () => {
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_credentials', 'record_usage'])
    const live = users.Bob!.keys[1]!.key
    for (const path of ['/v1/admin/users/usage/summary', `/v1/admin/users/${users.Ada!.id}/usage`]) {
      await expectError(request(server.url, path), 401, /^Missing API key/)
      await expectError(request(server.url, path, { key: live }), 401, 'User credentials cannot call admin operations')
      await expectError(request(server.url, path, { key: narrow.key }), 403, 'Permission denied: manage_users required')
      await expectError(request(server.url, path, { key: BOOTSTRAP_KEY }), 400, 'Bootstrap key cannot manage users. Create an admin key first.')
    }
  })
})
