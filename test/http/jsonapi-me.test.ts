import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { BOOTSTRAP_KEY, createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const ME = '/api/v3/iam/accounts/me'

describe('JSON:API accounts/me', () => {
  let server: TestServer
  let acme: TestTenant
  let secret: string
  let otherSecret: string

  before(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
    const p = acme.principal
    await server.roster.accounts.create(p, { email: 'first@acme.com' })
    const mine = await server.roster.accounts.create(p, { email: 'me@acme.com', person: { firstName: 'Mo', lastName: 'Me' } })
    const role = await server.roster.roles.create(p, { name: 'reader' })
    await server.roster.roles.grant(p, mine.id, [role.id])
    secret = (await server.roster.credentials.create(p, mine.userId, { name: 'Laptop' })).secret
    const first = (await server.roster.accounts.get(p, 1)).account
    otherSecret = (await server.roster.credentials.create(p, first.userId, { name: 'Phone' })).secret
  })
  after(() => server.close())

  it('a user credential gets its own account', async () => {
    const res = await request(server.url, ME, { key: secret })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.headers.get('content-type'), 'application/vnd.api+json')
    assert.equal(res.body.data.type, 'accounts')
    assert.equal(res.body.data.id, '2')
    assert.equal(res.body.data.attributes.email, 'me@acme.com')
    assert.equal(res.body.included, undefined)
    assert.equal((await request(server.url, ME, { key: otherSecret })).body.data.attributes.email, 'first@acme.com')
  })

  it('honours included and fields', async () => {
    const res = await request(server.url, `${ME}?included=roles,person,organization&fields[accounts]=email`, { key: secret })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.deepEqual(res.body.data.attributes, { email: 'me@acme.com' })
    const byType = Object.fromEntries(res.body.included.map((r: any) => [r.type, r]))
    assert.equal(res.body.included.length, 3)
    assert.equal(byType.roles.attributes.name, 'reader')
    assert.ok(Object.values(byType).some((r: any) => r.id === acme.tenantId))
    const person = res.body.included.find((r: any) => r.attributes.first_name !== undefined)
    assert.deepEqual([person.attributes.first_name, person.attributes.last_name], ['Mo', 'Me'])
  })

  it('an unknown include → 400 naming the parameter', async () => {
    const res = await request(server.url, `${ME}?include=secrets`, { key: secret })
    assert.equal(res.status, 400)
    assert.equal(res.body.errors[0].source.parameter, 'include')
  })

  it('a user credential cannot list or read other accounts: 403', async () => {
    for (const path of ['/api/v3/iam/accounts', '/api/v3/iam/accounts/1']) {
      const res = await request(server.url, path, { key: secret })
      assert.equal(res.status, 403, path)
      assert.equal(res.body.errors[0].status, '403')
    }
  })

  it('an admin key → 403 JSON:API error with no account data', async () => {
    const res = await request(server.url, ME, { key: acme.key })
    assert.equal(res.status, 403)
    assert.equal(res.headers.get('content-type'), 'application/vnd.api+json')
    assert.equal(res.body.data, undefined)
    assert.equal(res.body.errors[0].status, '403')
    assert.match(res.body.errors[0].detail, /user credential/)
  })

  it('the bootstrap key → 403; no key or an unknown key → 401', async () => {
    assert.equal((await request(server.url, ME, { key: BOOTSTRAP_KEY })).status, 403)
    const none = await request(server.url, ME)
    assert.equal(none.status, 401)
    assert.equal(none.body.errors[0].status, '401')
    assert.equal((await request(server.url, ME, { key: 'rsk_live_nope' })).status, 401)
  })
})
