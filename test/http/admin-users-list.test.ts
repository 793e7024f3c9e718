import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

describe('admin surface: GET /v1/admin/users', () => {
  let server: TestServer
  let acme: TestTenant
  const list = async (query = '') => {
    const response = await request(server.url, `/v1/admin/users${query}`, { key: acme.key })
    assert.equal(response.status, 200, JSON.stringify(response.body))
    return response.body
  }
  const names = async (query: string) => (await list(query)).data.map((u: { name: string }) => u.name)

  before(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
    const beta = await createTestTenant(server.roster, 'Beta')
    const users = [
      { name: 'Alpha Corp', email: 'ops@alpha.com', external_id: 'cust_1', billing_plan: 'pro' },
      { name: 'Bravo', email: 'hi@bravo.io', external_id: 'cust_2', billing_plan: 'free', status: 'pending' },
      { name: 'Charlie', email: 'Team@Charlie.org', external_id: 'c_3', billing_plan: 'pro' },
      { name: 'Delta', external_id: 'alpha-partner' },
    ]
    for (const [tenant, prefix] of [[acme, ''], [beta, 'beta ']] as const) {
      for (const body of users) {
        const response = await request(server.url, '/v1/admin/users', { method: 'POST', key: tenant.key, body: { ...body, name: prefix + body.name } })
        assert.equal(response.status, 201)
      }
    }
    const charlie = (await list('?external_id=c_3')).data[0]
    await request(server.url, `/v1/admin/users/${charlie.id}/suspend`, { method: 'POST', key: acme.key })
  })
  after(() => server.close())

  it('lists the tenant’s users newest first with the pagination object beside data', async () => {
    const body = await list()
    assert.deepEqual(Object.keys(body).sort(), ['data', 'pagination', 'success'])
    assert.deepEqual(body.data.map((u: { name: string }) => u.name), ['Delta', 'Charlie', 'Bravo', 'Alpha Corp'])
    assert.deepEqual(body.pagination, { total: 4, limit: 50, offset: 0, has_more: false, next_cursor: null })
    assert.ok(body.data.every((u: { admin_entity_name: string }) => u.admin_entity_name === 'Acme'))
  })

  it('filters by status, billing_plan, external_id and email', async () => {
    assert.deepEqual(await names('?status=suspended'), ['Charlie'])
    assert.deepEqual(await names('?status=pending'), ['Bravo'])
    assert.deepEqual(await names('?billing_plan=pro'), ['Charlie', 'Alpha Corp'])
    assert.deepEqual(await names('?external_id=cust_2'), ['Bravo'])
    assert.deepEqual(await names('?email=team%40charlie.ORG'), ['Charlie'])
    assert.deepEqual(await names('?status=active&billing_plan=pro'), ['Alpha Corp'])
    assert.deepEqual((await list('?status=active')).pagination.total, 2)
    // Only status (kept as counters), email and external_id (unique) are totalled unasked; count=true totals any filter.
    assert.equal((await list('?billing_plan=pro')).pagination.total, null)
    assert.equal((await list('?billing_plan=pro&count=true')).pagination.total, 2)
    assert.equal((await list('?q=alpha&count=true')).pagination.total, 2)
    assert.equal((await list('?q=alpha&count=false')).pagination.total, null)
  })

  it('searches q over name, email and external_id', async () => {
    assert.deepEqual(await names('?q=alpha'), ['Delta', 'Alpha Corp'])
    assert.deepEqual(await names('?q=bravo.io'), ['Bravo'])
    assert.deepEqual(await names('?q=CUST_'), ['Bravo', 'Alpha Corp'])
    assert.deepEqual(await names('?q=nothing-matches'), [])
  })

  it('pages with limit and offset', async () => {
    const first = await list('?limit=3')
    assert.deepEqual(first.data.map((u: { name: string }) => u.name), ['Delta', 'Charlie', 'Bravo'])
    assert.equal(first.pagination.has_more, true)
    assert.equal(typeof first.pagination.next_cursor, 'string')
    const second = await list('?limit=3&offset=3')
    assert.deepEqual(second.data.map((u: { name: string }) => u.name), ['Alpha Corp'])
    assert.deepEqual(second.pagination, { total: 4, limit: 3, offset: 3, has_more: false, next_cursor: null })
  })

  it('follows next_cursor through every user with no duplicates or gaps', async () => {
    const seen: string[] = []
    let query = '?limit=1'
    for (let page = await list(query); ; page = await list(`${query}&cursor=${encodeURIComponent(page.pagination.next_cursor)}`)) {
      seen.push(...page.data.map((u: { name: string }) => u.name))
      if (!page.pagination.next_cursor) break
    }
    assert.deepEqual(seen, ['Delta', 'Charlie', 'Bravo', 'Alpha Corp'])
    query = '?limit=1&billing_plan=pro'
    const first = await list(query)
    const next = await list(`${query}&cursor=${encodeURIComponent(first.pagination.next_cursor)}`)
    assert.deepEqual([first.data[0].name, next.data[0].name, next.pagination.next_cursor], ['Charlie', 'Alpha Corp', null])
  })
})
