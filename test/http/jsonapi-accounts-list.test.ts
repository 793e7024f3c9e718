import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request, type TestResponse } from '../helpers/http.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { settableClock } from '../helpers/settable-clock.js'

const BASE = '/api/v3/iam/accounts'

describe('JSON:API account list: paging, sorting, counting, filters, includes, fieldsets, links', () => {
  let server: TestServer
  let acme: TestTenant
  let other: TestTenant
  let token: string
  let devsId: string
  const clock = settableClock('2026-05-01T00:00:00.000Z')
  const get = (query: string, key = acme.key) => request(server.url, `${BASE}${query}`, { key })
  const ids = async (query: string) => {
    const res = await get(query)
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`)
    return res.body.data.map((a: { id: string }) => Number(a.id))
  }
  const badParameter = (res: TestResponse, parameter: string) => {
    assert.equal(res.status, 400, JSON.stringify(res.body))
    assert.equal(res.headers.get('content-type'), 'application/vnd.api+json')
    assert.equal(res.body.errors[0].status, '400')
    assert.equal(res.body.errors[0].source.parameter, parameter)
  }

  before(async () => {
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestTenant(server.roster, 'Acme')
    other = await createTestTenant(server.roster, 'Other')
    const p = acme.principal
    const specs = [
      { email: 'zoe@corp.io', accountType: 'service' },
      { email: 'adam@corp.io', accountType: 'user', expiresAt: '2026-09-01T00:00:00Z' },
      { email: 'mia@home.net', accountType: 'service', enabled: false },
      { email: 'Carl@Corp.io', accountType: 'bot', password: 'a long enough password' },
      { email: 'eve@home.net', accountType: 'user', expiresAt: '2027-03-01T00:00:00Z' },
      { email: 'ian@corp.io', accountType: 'user' },
    ]
    for (const [i, spec] of specs.entries()) {
      clock.set(`2026-05-0${i + 1}T12:00:00.000Z`)
      await server.roster.accounts.create(p, { ...spec, person: { firstName: `P${i + 1}`, lastName: 'Q' } })
    }
    await server.roster.accounts.create(other.principal, { email: 'zoe@corp.io' })
    const admin = await server.roster.roles.create(p, { name: 'admin' })
    const viewer = await server.roster.roles.create(p, { name: 'viewer' })
    await server.roster.roles.grant(p, 2, [admin.id, viewer.id])
    await server.roster.roles.grant(p, 6, [viewer.id])
    const devs = await server.roster.groups.create(p, { name: 'devs' })
    devsId = devs.id
    for (const n of [1, 5]) await server.roster.groups.addMember(p, devs.id, (await server.roster.accounts.get(p, n)).account.userId)
    token = (await server.roster.passwords.issueResetToken(p, 3)).token
  })
  after(() => server.close())

  it('defaults: page 1, size 1000, sorted by id, only the tenant’s own accounts', async () => {
    const res = await get('')
    assert.deepEqual(res.body.data.map((a: any) => Number(a.id)), [1, 2, 3, 4, 5, 6])
    assert.deepEqual(res.body.meta.page, { size: 1000, number: 1 })
    assert.equal(res.body.meta.total, undefined)
  })

  it('page[size] is capped at 1000; page[number] pages by offset', async () => {
    assert.equal((await get('?page[size]=5000')).body.meta.page.size, 1000)
    assert.deepEqual(await ids('?page[size]=4&page[number]=2'), [5, 6])
    assert.deepEqual(await ids('?page[size]=4&page[number]=3'), [])
  })

  it('count=true puts the filtered total in meta; count=false leaves it out', async () => {
    assert.equal((await get('?count=true&page[size]=2')).body.meta.total, 6)
    assert.equal((await get('?count=true&filter[account_type]=user')).body.meta.total, 3)
    assert.equal((await get('?count=false')).body.meta.total, undefined)
  })

  it('sort: several fields, - for descending', async () => {
    assert.deepEqual(await ids('?sort=-id'), [6, 5, 4, 3, 2, 1])
    assert.deepEqual(await ids('?sort=email'), [2, 4, 5, 6, 3, 1])
    assert.deepEqual(await ids('?sort=account_type,-created_at'), [4, 3, 1, 6, 5, 2])
    assert.deepEqual(await ids('?sort=-enabled,auth_type,-id'), [6, 5, 2, 1, 4, 3])
    assert.deepEqual(await ids('?sort=expires_at,id&filter[id__in]=2,5'), [2, 5])
  })

  const cases: [string, number[]][] = [
    ['filter[id]=4', [4]],
    ['filter[person_id]=2', [2]],
    ['filter[id__in]=6,1,3', [1, 3, 6]],
    ['filter[email]=carl@corp.io', [4]],
    ['filter[email]=null', []],
    ['filter[email__match]=CORP', [1, 2, 4, 6]],
    ['filter[email__match]=*@home*', [3, 5]],
    ['filter[email__match]=d*m@', [2]],
    ['filter[account_type]=service', [1, 3]],
    ['filter[account_type__in]=bot,service', [1, 3, 4]],
    ['filter[auth_type]=password', [4]],
    ['filter[auth_type]=none', [1, 2, 3, 5, 6]],
    ['filter[enabled]=false', [3]],
    ['filter[enabled]=true', [1, 2, 4, 5, 6]],
    ['filter[created_at]=2026-05-02T12:00:00Z', [2]],
    ['filter[created_at__gte]=2026-05-03T12:00:00Z', [3, 4, 5, 6]],
    ['filter[created_at__lte]=2026-05-02T12:00:00Z', [1, 2]],
    ['filter[created_at__gte]=2026-05-02T00:00:00Z&filter[created_at__lte]=2026-05-04T00:00:00Z', [2, 3]],
    ['filter[updated_at]=2026-05-06T12:00:00Z', [6]],
    ['filter[expires_at]=null', [1, 3, 4, 6]],
    ['filter[expires_at]=2026-09-01T00:00:00Z', [2]],
    ['filter[expires_at__gte]=2026-10-01T00:00:00Z', [5]],
    ['filter[expires_at__lte]=2026-10-01T00:00:00Z', [2]],
    ['filter[password_reset_token_expires_at]=null', [1, 2, 4, 5, 6]],
    ['filter[role_name]=viewer', [2, 6]],
    ['filter[role_name]=admin', [2]],
    ['filter[role_name]=nobody', []],
    ['filter[account_type]=user&filter[enabled]=true&filter[email__match]=corp', [2, 6]],
  ]
  for (const [query, expected] of cases) {
    it(`${query} → ${JSON.stringify(expected)}`, async () => assert.deepEqual(await ids(`?${query}`), expected))
  }

  it('filter[ou_accounts] takes a group id; filter[password_reset_token] the token; filter[organization_id] the tenant', async () => {
    assert.deepEqual(await ids(`?filter[ou_accounts]=${devsId}`), [1, 5])
    assert.deepEqual(await ids(`?filter[password_reset_token]=${encodeURIComponent(token)}`), [3])
    assert.deepEqual(await ids('?filter[password_reset_token]=rsk_not_a_token'), [])
    assert.deepEqual(await ids(`?filter[organization_id]=${acme.tenantId}`), [1, 2, 3, 4, 5, 6])
    assert.deepEqual(await ids(`?filter[organization_id]=${other.tenantId}`), [])
  })

  it('included / include: roles, person, organization, with relationships pointing at them', async () => {
    const res = await get('?filter[id]=2&included=roles,person,organization')
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const [account] = res.body.data
    const types = res.body.included.map((r: any) => r.type).sort()
    assert.equal(types.filter((t: string) => t === 'roles').length, 2)
    assert.equal(types.length, 4)
    assert.equal(account.relationships.roles.data.length, 2)
    const person = res.body.included.find((r: any) => r.id === account.relationships.person.data.id && r.type === account.relationships.person.data.type)
    assert.equal(person.attributes.first_name, 'P2')
    const org = res.body.included.find((r: any) => r.type === account.relationships.organization.data.type)
    assert.equal(org.id, acme.tenantId)
    const standard = await get('?filter[id]=2&include=roles')
    assert.deepEqual(standard.body.included.map((r: any) => r.attributes.name).sort(), ['admin', 'viewer'])
    assert.equal((await get('?filter[id]=2')).body.included, undefined)
    const arrayForm = await get('?filter[id]=2&included[]=person')
    assert.equal(arrayForm.status, 200)
    assert.equal(arrayForm.body.included.length, 1)
  })

  it('fields[accounts] keeps only the named attributes; fields on included types too', async () => {
    const res = await get('?fields[accounts]=email,enabled&filter[id]=1')
    assert.deepEqual(res.body.data[0].attributes, { email: 'zoe@corp.io', enabled: true })
    const nested = await get('?filter[id]=2&include=roles&fields[roles]=name')
    for (const role of nested.body.included) assert.deepEqual(Object.keys(role.attributes), ['name'])
  })

  it('links: self, first, prev, next, last (last with count=true)', async () => {
    const res = await get('?page[size]=2&page[number]=2&count=true')
    const { links } = res.body
    assert.equal(links.self, `${BASE}?page%5Bsize%5D=2&page%5Bnumber%5D=2&count=true`)
    assert.ok(links.first && !links.first.includes('page%5Bnumber%5D'))
    assert.ok(links.prev.includes('page%5Bnumber%5D=1'))
    assert.ok(links.last.includes('page%5Bnumber%5D=3'))
    assert.deepEqual((await request(server.url, links.next, { key: acme.key })).body.data.map((a: any) => Number(a.id)), [5, 6])
    const last = await get('?page[size]=2&page[number]=3')
    assert.equal(last.body.links.next, null)
    assert.equal((await get('?page[size]=2')).body.links.prev, null)
    assert.equal((await get('?page[size]=2')).body.links.last, null)
  })

  const bad: [string, string][] = [
    ['filter[nickname]=x', 'filter[nickname]'],
    ['filter[id]=abc', 'filter[id]'],
    ['filter[id__in]=1,x', 'filter[id__in]'],
    ['filter[enabled]=yes', 'filter[enabled]'],
    ['filter[created_at__gte]=yesterday', 'filter[created_at__gte]'],
    ['filter[expires_at__lte]=2026-13-01', 'filter[expires_at__lte]'],
    ['sort=nickname', 'sort'],
    ['sort=-', 'sort'],
    ['page[number]=0', 'page[number]'],
    ['page[size]=-3', 'page[size]'],
    ['page[size]=ten', 'page[size]'],
    ['page[offset]=2', 'page[offset]'],
    ['count=maybe', 'count'],
    ['include=friends', 'include'],
    ['included=roles,friends', 'included'],
    ['fields[widgets]=x', 'fields[widgets]'],
    ['fields[accounts]=password', 'fields[accounts]'],
    ['colour=blue', 'colour'],
    ['sort=id&sort=email', 'sort'],
  ]
  for (const [query, parameter] of bad) {
    it(`?${query} → 400 naming ${parameter}`, async () => badParameter(await get(`?${query}`), parameter))
  }
})
