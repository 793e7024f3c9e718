import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request, type TestResponse } from '../helpers/http.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { settableClock } from '../helpers/settable-clock.js'

const BASE = '/api/v3/iam/accounts'

function parameterError(res: TestResponse, parameter: string) {
  assert.equal(res.status, 400, JSON.stringify(res.body))
  assert.equal(res.headers.get('content-type'), 'application/vnd.api+json')
  assert.deepEqual(res.body.errors[0].source, { parameter })
  assert.equal(res.body.errors[0].code, 'invalid_input')
}

describe('IAM account list over HTTP: every parameter', () => {
  let server: TestServer
  let acme: TestTenant
  let token: string
  let salesId: string
  const clock = settableClock('2026-01-01T00:00:00.000Z')
  const get = (query: string) => request(server.url, `${BASE}${query}`, { key: acme.key })
  const ids = async (query: string) => {
    const res = await get(query)
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`)
    return res.body.data.map((a: { id: string }) => Number(a.id))
  }

  before(async () => {
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestTenant(server.roster, 'Acme')
    const p = acme.principal
    const specs = [
      { email: 'ann@acme.com', accountType: 'admin' },
      { email: 'bob@example.org', accountType: 'service', expiresAt: '2026-06-01T00:00:00Z' },
      { email: 'cy@acme.com', enabled: false, expiresAt: '2027-01-01T00:00:00Z' },
      { email: 'dee@mail.net', password: 'long password' },
      { email: 'ed@acme.com', accountType: 'service' },
    ]
    for (const [i, spec] of specs.entries()) {
      clock.set(`2026-01-0${i + 1}T00:00:00.000Z`)
      await server.roster.accounts.create(p, { ...spec, person: { firstName: `F${i + 1}` } })
    }
    clock.set('2026-02-01T00:00:00.000Z')
    await server.roster.accounts.update(p, 5, { expiresAt: null })
    const ops = await server.roster.roles.create(p, { name: 'ops' })
    await server.roster.roles.grant(p, 1, [ops.id])
    await server.roster.roles.grant(p, 2, [ops.id])
    const sales = await server.roster.groups.create(p, { name: 'sales' })
    salesId = sales.id
    await server.roster.groups.addMember(p, sales.id, (await server.roster.accounts.get(p, 3)).account.userId)
    token = (await server.roster.passwords.issueResetToken(p, 4)).token
  })
  after(() => server.close())

  const filters: [string, number[]][] = [
    ['filter[id]=2', [2]],
    ['filter[person_id]=3', [3]],
    ['filter[id__in]=1,3,5', [1, 3, 5]],
    ['filter[email]=ANN@acme.com', [1]],
    ['filter[email]=null', []],
    ['filter[email__match]=acme', [1, 3, 5]],
    ['filter[email__match]=*e*.org', [2]],
    ['filter[account_type]=service', [2, 5]],
    ['filter[account_type__in]=admin,service', [1, 2, 5]],
    ['filter[auth_type]=password', [4]],
    ['filter[enabled]=true', [1, 2, 4, 5]],
    ['filter[enabled]=false', [3]],
    ['filter[created_at]=2026-01-02T00:00:00Z', [2]],
    ['filter[created_at__gte]=2026-01-04', [4, 5]],
    ['filter[created_at__lte]=2026-01-02T00:00:00%2B00:00', [1, 2]],
    ['filter[updated_at]=2026-02-01T00:00:00.000Z', [5]],
    ['filter[expires_at]=2026-06-01T00:00:00Z', [2]],
    ['filter[expires_at]=null', [1, 4, 5]],
    ['filter[expires_at__gte]=2026-07-01', [3]],
    ['filter[expires_at__lte]=2026-07-01', [2]],
    ['filter[password_reset_token_expires_at]=null', [1, 2, 3, 5]],
    ['filter[role_name]=ops', [1, 2]],
    ['filter[ou_accounts]=sales', [3]],
    ['filter[email__match]=acme&filter[enabled]=true&filter[account_type]=service', [5]],
  ]
  for (const [query, expected] of filters) {
    it(`?${query}`, async () => assert.deepEqual(await ids(`?${query}`), expected))
  }

  it('filters by reset token, its expiry, group id and the organization', async () => {
    assert.deepEqual(await ids(`?filter[password_reset_token]=${encodeURIComponent(token)}`), [4])
    assert.deepEqual(await ids('?filter[password_reset_token_expires_at]=2026-02-01T01:00:00Z'), [4])
    assert.deepEqual(await ids(`?filter[ou_accounts]=${salesId}`), [3])
    assert.deepEqual(await ids(`?filter[organization_id]=${acme.tenantId}`), [1, 2, 3, 4, 5])
    assert.deepEqual(await ids('?filter[organization_id]=00000000-0000-4000-8000-000000000000'), [])
  })

  it('sorts by comma-separated fields, - for descending', async () => {
    assert.deepEqual(await ids('?sort=-id'), [5, 4, 3, 2, 1])
    assert.deepEqual(await ids('?sort=account_type,-created_at'), [1, 5, 2, 4, 3])
    assert.deepEqual(await ids('?sort=-expires_at'), [3, 2, 5, 4, 1], 'nulls last, ties by id descending like the key')
    assert.deepEqual(await ids('?sort=enabled,email'), [3, 1, 2, 4, 5])
    assert.deepEqual(await ids('?sort=-updated_at'), [5, 4, 3, 2, 1])
    assert.deepEqual(await ids('?sort=auth_type,person_id'), [1, 2, 3, 5, 4])
  })

  it('pages by number and size, with links and meta', async () => {
    const res = await get('?sort=-id&page[number]=2&page[size]=2&count=true&filter[email__match]=.')
    assert.deepEqual(res.body.data.map((a: { id: string }) => a.id), ['3', '2'])
    assert.deepEqual(res.body.meta, { total: 5, page: { size: 2, number: 2 } })
    const { links } = res.body
    assert.equal(links.self, `${BASE}?sort=-id&page%5Bnumber%5D=2&page%5Bsize%5D=2&count=true&filter%5Bemail__match%5D=.`)
    const params = (link: string) => Object.fromEntries(new URL(link, server.url).searchParams)
    assert.deepEqual(params(links.first), { sort: '-id', 'page[size]': '2', count: 'true', 'filter[email__match]': '.' })
    assert.deepEqual(params(links.prev), { sort: '-id', 'page[size]': '2', count: 'true', 'filter[email__match]': '.', 'page[number]': '1' })
    assert.deepEqual(params(links.last), { sort: '-id', 'page[size]': '2', count: 'true', 'filter[email__match]': '.', 'page[number]': '3' })
    assert.ok(params(links.next)['page[after]'])
    const next = await request(server.url, links.next, { key: acme.key })
    assert.deepEqual(next.body.data.map((a: { id: string }) => a.id), ['1'])
    assert.equal(next.body.links.next, null)
    assert.deepEqual(next.body.meta, { total: 5, page: { size: 2 } })
    const back = await request(server.url, next.body.links.prev, { key: acme.key })
    assert.deepEqual(back.body.data.map((a: { id: string }) => a.id), ['3', '2'])
    assert.ok(new URL(next.body.links.prev, server.url).searchParams.get('page[before]'))
  })

  it('defaults to page 1 of up to 1000, caps page[size], leaves last null without count', async () => {
    const res = await get('')
    assert.equal(res.body.data.length, 5)
    assert.deepEqual(res.body.meta, { page: { size: 1000, number: 1 } })
    assert.deepEqual(res.body.links, { self: BASE, first: BASE, prev: null, next: null, last: null })
    assert.equal((await get('?page[size]=5000')).body.meta.page.size, 1000)
    assert.deepEqual((await get('?page[number]=7&count=true')).body.data, [])
  })

  it('walks every page by following next links', async () => {
    const seen: string[] = []
    let link: string | null = `${BASE}?page[size]=2&sort=email`
    while (link) {
      const res: TestResponse = await request(server.url, link, { key: acme.key })
      seen.push(...res.body.data.map((a: { id: string }) => a.id))
      link = res.body.links.next
    }
    assert.deepEqual(seen, ['1', '2', '3', '4', '5'])
  })

  it('includes roles, person and organization with include or included', async () => {
    for (const query of ['?include=roles,person,organization', '?included=roles,person,organization', '?included[]=roles&included[]=person&included[]=organization']) {
      const res = await get(`${query}&filter[id__in]=1,2`)
      assert.equal(res.status, 200, query)
      const included = res.body.included.map((r: { type: string; id: string }) => `${r.type}:${r.id}`)
      assert.equal(included.filter((k: string) => k.startsWith('roles:')).length, 1, 'a shared role appears once')
      assert.ok(included.includes('people:1') && included.includes('people:2') && included.includes(`organizations:${acme.tenantId}`))
      assert.deepEqual(res.body.data[0].relationships.roles.data, [{ type: 'roles', id: res.body.included.find((r: { type: string }) => r.type === 'roles').id }])
    }
    const person = (await get('?include=person&filter[id]=1')).body.included[0]
    assert.deepEqual(person, { type: 'people', id: '1', attributes: { first_name: 'F1', last_name: null, name: 'F1', email: 'ann@acme.com' } })
    const org = (await get('?include=organization&filter[id]=1')).body.included[0]
    assert.equal(org.attributes.name, 'Acme')
    const plain = (await get('?filter[id]=1')).body
    assert.equal(plain.included, undefined)
    assert.equal(plain.data[0].relationships.roles.data, undefined)
    assert.deepEqual((await get('?include=roles&filter[id]=3')).body.included, [])
  })

  it('applies sparse fieldsets per type', async () => {
    const res = await get('?filter[id]=1&include=person,roles&fields[accounts]=email,enabled,person&fields[people]=name&fields[roles]=name')
    const [account] = res.body.data
    assert.deepEqual(account.attributes, { email: 'ann@acme.com', enabled: true })
    assert.deepEqual(Object.keys(account.relationships), ['person'])
    assert.deepEqual(res.body.included.find((r: { type: string }) => r.type === 'people').attributes, { name: 'F1' })
    assert.deepEqual(res.body.included.find((r: { type: string }) => r.type === 'roles').attributes, { name: 'ops' })
    const empty = await get('?filter[id]=1&fields[accounts]=')
    assert.deepEqual(empty.body.data[0].attributes, {})
    assert.equal(empty.body.data[0].relationships, undefined)
    const single = await request(server.url, `${BASE}/1?fields[accounts]=email`, { key: acme.key })
    assert.deepEqual(single.body.data.attributes, { email: 'ann@acme.com' })
    const listed = await get('?filter[id]=1&fields[accounts][]=id&fields[accounts][]=email')
    assert.deepEqual(listed.body.data[0].attributes, { id: 1, email: 'ann@acme.com' })
  })

  it('answers every bad parameter with 400 naming it in source.parameter', async () => {
    const cases: [string, string][] = [
      ['?filter[nickname]=x', 'filter[nickname]'],
      ['?filter[email__in]=a', 'filter[email__in]'],
      ['?filter[id]=abc', 'filter[id]'],
      ['?filter[id__in]=1,x', 'filter[id__in]'],
      ['?filter[enabled]=yes', 'filter[enabled]'],
      ['?filter[created_at__gte]=soon', 'filter[created_at__gte]'],
      ['?filter[expires_at__lte]=null', 'filter[expires_at__lte]'],
      ['?filter[email]=', 'filter[email]'],
      ['?sort=name', 'sort'],
      ['?sort=id,id', 'sort'],
      ['?page[number]=0', 'page[number]'],
      ['?page[size]=abc', 'page[size]'],
      ['?page[offset]=3', 'page[offset]'],
      ['?page[after]=nonsense', 'page[after]'],
      ['?page[before]=nonsense', 'page[before]'],
      ['?page[number]=2&page[after]=x', 'page[number]'],
      ['?count=maybe', 'count'],
      ['?include=groups', 'include'],
      ['?included=roles,groups', 'included'],
      ['?fields[users]=email', 'fields[users]'],
      ['?fields[accounts]=password', 'fields[accounts]'],
      ['?limit=5', 'limit'],
      ['?filter=x', 'filter'],
      ['?sort=id&sort=email', 'sort'],
      ['?filter[id]=1&filter[id]=2', 'filter[id]'],
      ['?sort[]=id', 'sort[]'],
    ]
    for (const [query, parameter] of cases) parameterError(await get(query), parameter)
  })

  it('takes no list parameters on single-resource routes beyond include and fields', async () => {
    parameterError(await request(server.url, `${BASE}/1?filter[id]=1`, { key: acme.key }), 'filter[id]')
    parameterError(await request(server.url, `${BASE}/1?sort=id`, { key: acme.key }), 'sort')
    const ok = await request(server.url, `${BASE}/1?include=roles&fields[roles]=name`, { key: acme.key })
    assert.equal(ok.body.included[0].attributes.name, 'ops')
  })
})
