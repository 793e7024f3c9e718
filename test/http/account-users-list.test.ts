import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { AdminPrincipal } from '../../src/index.js'
import { createTestAccount, oneError, type TestAccount } from '../helpers/account.js'
import { request } from '../helpers/http.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const USERS = 1005

describe('account users surface: listing', () => {
  let server: TestServer
  let acme: TestAccount
  let ids: string[]
  const list = (query = '', account = acme) => request(server.url, `/accounts/${account.accountId}/users${query}`, { key: account.key })

  before(async () => {
    server = await startTestServer()
    acme = await createTestAccount(server.url)
    // Made through the library: the listing is what is under test here.
    const admin: AdminPrincipal = server.roster.principals.tenant(acme.accountId)
    ids = []
    for (let i = 0; i < USERS; i++) {
      const user = await server.roster.accountUsers.create(admin, acme.accountId, { email: `u${i}@acme.com`, firstName: 'User', lastName: String(i) })
      ids.push(user.id)
    }
  })
  after(() => server.close())

  it('answers {owner, users}: the owner apart, never among users, with the total of the others', async () => {
    const response = await list()
    assert.equal(response.status, 200)
    assert.deepEqual(Object.keys(response.body), ['owner', 'users'])
    assert.deepEqual(response.body.owner, { id: acme.ownerId, first_name: 'Olive', last_name: 'Owner', email_address: 'owner@acme.example', group_memberships: [] })
    assert.equal(response.headers.get('x-total-count'), String(USERS))
    assert.ok(!response.body.users.some((user: any) => user.id === acme.ownerId))
  })

  it('pages 100 users by default, oldest first, with a Link to the next page', async () => {
    const response = await list()
    assert.deepEqual(response.body.users.map((user: any) => user.id), ids.slice(0, 100))
    assert.deepEqual(response.body.users[0], { id: ids[0], first_name: 'User', last_name: '0', email_address: 'u0@acme.com', group_memberships: [] })
    assert.equal(response.headers.get('link'), `</accounts/${acme.accountId}/users?limit=100&offset=100>; rel="next"`)
  })

  it('following Link visits every user once; the last page has no Link', async () => {
    const seen: string[] = []
    let next: string | null = '/users?limit=400'
    let pages = 0
    while (next) {
      const response = await request(server.url, next.startsWith('/accounts') ? next : `/accounts/${acme.accountId}${next}`, { key: acme.key })
      assert.equal(response.status, 200)
      assert.equal(response.body.owner.id, acme.ownerId)
      seen.push(...response.body.users.map((user: any) => user.id))
      next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1] ?? null
      pages++
    }
    assert.deepEqual([pages, seen], [3, ids])
  })

  it('takes limit up to 1000 and any offset; past the end the users are empty', async () => {
    const max = await list('?limit=1000&offset=5')
    assert.deepEqual([max.body.users.length, max.headers.get('link')], [1000, null])
    const tail = await list(`?offset=${USERS - 2}`)
    assert.deepEqual([tail.body.users.map((u: any) => u.id), tail.headers.get('link')], [ids.slice(-2), null])
    const beyond = await list('?offset=5000&limit=1')
    assert.deepEqual([beyond.status, beyond.body.users, beyond.body.owner.id, beyond.headers.get('x-total-count')], [200, [], acme.ownerId, String(USERS)])
  })

  it('refuses bad limit and offset values: 422 naming the parameter', async () => {
    const cases: [string, string, string][] = [
      ['?limit=0', 'limit', 'limit must be an integer from 1 to 1000'],
      ['?limit=1001', 'limit', 'limit must be an integer from 1 to 1000'],
      ['?limit=-1', 'limit', 'limit must be an integer from 1 to 1000'],
      ['?limit=1.5', 'limit', 'limit must be an integer from 1 to 1000'],
      ['?limit=ten', 'limit', 'limit must be an integer from 1 to 1000'],
      ['?limit=', 'limit', 'limit must be an integer from 1 to 1000'],
      ['?offset=-1', 'offset', 'offset must be a non-negative integer'],
      ['?offset=1e3', 'offset', 'offset must be a non-negative integer'],
      ['?offset=99999999999999999999', 'offset', 'offset must be a non-negative integer'],
    ]
    for (const [query, parameter, detail] of cases) {
      const response = await list(query)
      assert.equal(response.status, 422, query)
      oneError('invalid_input', 'Unprocessable Entity', detail, { parameter })(response.body)
    }
    const twice = await list('?limit=1&limit=2')
    assert.equal(twice.status, 422)
    oneError('invalid_input', 'Unprocessable Entity', 'Query parameter limit must be given once', { parameter: 'limit' })(twice.body)
    const unknown = await list('?page=2')
    assert.equal(unknown.status, 422)
    oneError('invalid_input', 'Unprocessable Entity', 'Unknown query parameter: page', { parameter: 'page' })(unknown.body)
  })

  it('answers owner null for an account created without one, and empty users for an empty account', async () => {
    const bare = await createTestAccount(server.url, { name: 'Bare', withOwner: false })
    const response = await list('', bare)
    assert.deepEqual([response.status, response.body, response.headers.get('x-total-count'), response.headers.get('link')],
      [200, { owner: null, users: [] }, '0', null])
  })
})
