import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestAccount, oneError, type TestAccount } from '../helpers/account.js'
import { request } from '../helpers/http.js'
import { BOOTSTRAP_KEY } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Route = readonly [method: string, path: string, body?: unknown, kind?: 'users' | 'groups']

/** Every route of the surface, for the account, user and group given. */
function routes(accountId: string, userId: string, groupId: string): Route[] {
  const a = `/accounts/${accountId}`
  return [
    ['GET', `${a}/users`], ['POST', `${a}/users`, { email_address: 'x@y.co', first_name: 'X', last_name: 'Y' }],
    ['GET', `${a}/users/${userId}`], ['DELETE', `${a}/users/${userId}`], ['POST', `${a}/users/${userId}/reset-mfa`],
    ['GET', `${a}/users/${userId}/mfa`], ['POST', `${a}/users/${userId}/mfa/totp`],
    ['POST', `${a}/users/${userId}/mfa/totp/confirm`, { code: '123456' }], ['POST', `${a}/users/${userId}/mfa/verify`, { code: '123456' }],
    ['GET', `${a}/groups`, undefined, 'groups'], ['POST', `${a}/groups`, { name: 'Intruders' }, 'groups'],
    ['GET', `${a}/groups/${groupId}`, undefined, 'groups'], ['PATCH', `${a}/groups/${groupId}`, { name: 'Renamed' }, 'groups'],
    ['DELETE', `${a}/groups/${groupId}`, undefined, 'groups'],
    ['PUT', `${a}/groups/${groupId}/users/${userId}`, undefined, 'groups'], ['DELETE', `${a}/groups/${groupId}/users/${userId}`, undefined, 'groups'],
  ]
}

describe('account users surface: keys, accounts and the order of checks', () => {
  let server: TestServer
  let acme: TestAccount
  let beta: TestAccount
  let userId: string
  let groupId: string

  const send = (route: Route, headers: Record<string, string> = {}) =>
    request(server.url, route[1], { method: route[0], body: route[2], headers })
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

  before(async () => {
    server = await startTestServer()
    acme = await createTestAccount(server.url, { name: 'Acme' })
    beta = await createTestAccount(server.url, { name: 'Beta' })
    const user = await request(server.url, `/accounts/${acme.accountId}/users`, {
      method: 'POST', key: acme.key, body: { email_address: 'secret.person@acme.com', first_name: 'Secret', last_name: 'Person' },
    })
    userId = user.body.id
    groupId = (await request(server.url, `/accounts/${acme.accountId}/groups`, { method: 'POST', key: acme.key, body: { name: 'Hidden Group' } })).body.id
  })
  after(() => server.close())

  /** Acme's user and group are untouched and visible to Acme's own key. */
  async function acmeUnchanged() {
    const user = await request(server.url, `/accounts/${acme.accountId}/users/${userId}`, { key: acme.key })
    assert.deepEqual([user.status, user.body.email_address, user.body.group_memberships], [200, 'secret.person@acme.com', []])
    const group = await request(server.url, `/accounts/${acme.accountId}/groups/${groupId}`, { key: acme.key })
    assert.deepEqual([group.status, group.body.name], [200, 'Hidden Group'])
    const groups = await request(server.url, `/accounts/${acme.accountId}/groups`, { key: acme.key })
    assert.deepEqual(groups.body.groups.map((g: any) => g.name), ['Hidden Group'])
  }

  it('no key: 401 on every route, before any id is looked at', async () => {
    for (const route of [...routes(acme.accountId, userId, groupId), ...routes('bad', 'bad', 'bad')]) {
      const response = await send(route)
      assert.equal(response.status, 401, route.join(' '))
      oneError('unauthenticated', 'Unauthorized', 'Missing API key: send Authorization: Bearer <key> or X-API-Key')(response.body)
    }
  })

  it('an unknown key: 401, as a Bearer token or as X-API-Key', async () => {
    for (const headers of [bearer('rsk_admin_nope'), { 'x-api-key': 'rsk_admin_nope' }]) {
      const response = await send(routes(acme.accountId, userId, groupId)[0]!, headers)
      assert.equal(response.status, 401)
      oneError('unauthenticated', 'Unauthorized', 'Invalid or revoked API key')(response.body)
    }
  })

  it('the bootstrap key: 403 on every route', async () => {
    for (const route of routes(acme.accountId, userId, groupId)) {
      const response = await send(route, bearer(BOOTSTRAP_KEY))
      assert.equal(response.status, 403, route.join(' '))
      const permission = route[3] === 'groups' ? 'manage groups' : 'manage users'
      oneError('bootstrap_key', 'Forbidden', `Bootstrap key cannot ${permission}. Create an admin key first.`)(response.body)
    }
    await acmeUnchanged()
  })

  it('another account’s key: 403 and no data on every route, the same for an account that does not exist', async () => {
    const foreign = [...routes(acme.accountId, userId, groupId), ...routes(UNKNOWN, userId, groupId), ...routes(beta.accountId.replace(/.$/, '0'), UNKNOWN, UNKNOWN)]
    for (const route of foreign) {
      if (route[1].includes(beta.accountId)) continue
      const response = await send(route, { 'x-api-key': beta.key })
      assert.equal(response.status, 403, route.join(' '))
      oneError('forbidden', 'Forbidden', 'Permission denied: this key does not belong to the account')(response.body)
      const text = JSON.stringify(response.body)
      for (const secret of [userId, groupId, 'secret.person', 'Hidden Group', acme.ownerId!]) assert.ok(!text.includes(secret), secret)
    }
    await acmeUnchanged()
  })

  it('ids over 50 characters or not UUIDs: 404 on every route, whatever the key', async () => {
    const long = `${UNKNOWN}-${'0'.repeat(14)}`
    assert.equal(long.length, 51)
    const malformed: Route[] = []
    for (const bad of [long, 'not-a-uuid', `${acme.accountId}0`, ' ']) {
      malformed.push(...routes(bad, userId, groupId))
      malformed.push(...routes(acme.accountId, bad, groupId).filter((route) => route[1].includes(`/users/${bad}`)))
      malformed.push(...routes(acme.accountId, userId, bad).filter((route) => route[1].includes(`/groups/${bad}`)))
    }
    for (const route of malformed) {
      for (const key of [acme.key, beta.key, BOOTSTRAP_KEY]) {
        const response = await send([route[0], encodeURI(route[1]), route[2]], bearer(key))
        assert.equal(response.status, 404, `${route.join(' ')} with ${key.slice(0, 10)}`)
        oneError('not_found', 'Not Found', /^(Account|User|Group) not found$/)(response.body)
      }
    }
    await acmeUnchanged()
  })

  it('a key without manage_users: 403 on user and MFA routes; without manage_groups: 403 on group routes', async () => {
    const groupsOnly = (await request(server.url, '/v1/admin/keys', { method: 'POST', key: acme.key, body: { permissions: ['manage_groups'] } })).body.data.key
    const usersOnly = (await request(server.url, '/v1/admin/keys', { method: 'POST', key: acme.key, body: { permissions: ['manage_users'] } })).body.data.key
    for (const route of routes(acme.accountId, UNKNOWN, UNKNOWN)) {
      const key = route[3] === 'groups' ? usersOnly : groupsOnly
      const response = await send(route, bearer(key))
      assert.equal(response.status, 403, route.join(' '))
      oneError('forbidden', 'Forbidden', `Permission denied: ${route[3] === 'groups' ? 'manage_groups' : 'manage_users'} required`)(response.body)
    }
    assert.equal((await send(['GET', `/accounts/${acme.accountId}/groups`], bearer(groupsOnly))).status, 200)
    assert.equal((await send(['GET', `/accounts/${acme.accountId}/users`], bearer(usersOnly))).status, 200)
  })

  it('a user’s own credential: 403 on every route', async () => {
    const roster = server.roster
    const credential = await roster.credentials.create(roster.principals.tenant(acme.accountId), userId, { name: 'Laptop' })
    for (const route of routes(acme.accountId, userId, groupId)) {
      const response = await send(route, bearer(credential.secret))
      assert.equal(response.status, 403, route.join(' '))
      oneError('forbidden', 'Forbidden', 'Permission denied: a user credential cannot act on the account')(response.body)
    }
    await acmeUnchanged()
  })

  it('another account’s users and groups inside your own account: 404', async () => {
    const theirs = await request(server.url, `/accounts/${beta.accountId}/users`, {
      method: 'POST', key: beta.key, body: { email_address: 'b@beta.com', first_name: 'B', last_name: 'B' },
    })
    const theirGroup = await request(server.url, `/accounts/${beta.accountId}/groups`, { method: 'POST', key: beta.key, body: { name: 'Theirs' } })
    for (const route of routes(acme.accountId, theirs.body.id, theirGroup.body.id)) {
      if (!route[1].includes(theirs.body.id) && !route[1].includes(theirGroup.body.id)) continue
      const response = await send(route, bearer(acme.key))
      assert.equal(response.status, 404, route.join(' '))
      oneError('not_found', 'Not Found', /^(User|Group) not found$/)(response.body)
    }
    const still = await request(server.url, `/accounts/${beta.accountId}/users/${theirs.body.id}`, { key: beta.key })
    assert.equal(still.status, 200)
  })
})
