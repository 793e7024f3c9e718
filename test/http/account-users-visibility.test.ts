import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { UnauthenticatedError } from '../../src/index.js'
import { createTestAccount, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions } from '../helpers/http.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

describe('account users surface: one store with the admin and IAM surfaces', () => {
  let server: TestServer
  let acme: TestAccount
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const users = (path = '') => `/accounts/${acme.accountId}/users${path}`
  const createHere = async (email: string, first = 'Grace', last = 'Hopper') => {
    const response = await call(users(), { method: 'POST', body: { email_address: email, first_name: first, last_name: last } })
    assert.equal(response.status, 201)
    return response.body
  }
  const iamByEmail = (email: string) => call(`/api/v3/iam/accounts?filter[email]=${encodeURIComponent(email)}`)

  before(async () => {
    server = await startTestServer()
    acme = await createTestAccount(server.url)
  })
  after(() => server.close())

  it('a user created here is on /v1/admin/users with name "first last", and on the IAM accounts', async () => {
    const user = await createHere('grace@acme.com')
    const admin = await call(`/v1/admin/users/${user.id}`)
    assert.equal(admin.status, 200)
    const { id, name, first_name, last_name, email, status } = admin.body.data
    assert.deepEqual({ id, name, first_name, last_name, email, status },
      { id: user.id, name: 'Grace Hopper', first_name: 'Grace', last_name: 'Hopper', email: 'grace@acme.com', status: 'active' })
    assert.ok((await call('/v1/admin/users?email=grace@acme.com')).body.data.some((u: any) => u.id === user.id))
    const iam = await iamByEmail('grace@acme.com')
    assert.deepEqual([iam.status, iam.body.data.length, iam.body.data[0]?.attributes.email], [200, 1, 'grace@acme.com'])
  })

  it('a user created on /v1/admin/users is listed and fetched here, names null when not given', async () => {
    const plain = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Acme Corp' } })).body.data
    const named = (await call('/v1/admin/users', {
      method: 'POST', body: { name: 'Alan Turing', first_name: 'Alan', last_name: 'Turing', email: 'alan@acme.com' },
    })).body.data
    const listed = (await call(`${users()}?limit=1000`)).body.users
    assert.deepEqual(listed.find((u: any) => u.id === plain.id), { id: plain.id, first_name: null, last_name: null, email_address: null, group_memberships: [] })
    assert.deepEqual((await call(users(`/${named.id}`))).body,
      { id: named.id, first_name: 'Alan', last_name: 'Turing', email_address: 'alan@acme.com', group_memberships: [] })
    await call(`/v1/admin/users/${named.id}`, { method: 'PATCH', body: { first_name: 'Alan M.' } })
    assert.equal((await call(users(`/${named.id}`))).body.first_name, 'Alan M.')
  })

  it('an email taken on another surface is taken here too', async () => {
    await call('/v1/admin/users', { method: 'POST', body: { name: 'Taken', email: 'shared@acme.com' } })
    const response = await call(users(), { method: 'POST', body: { email_address: 'Shared@Acme.com', first_name: 'A', last_name: 'B' } })
    assert.equal(response.status, 422)
  })

  it('a user deleted here is gone from the admin and IAM surfaces, and its credentials stop working', async () => {
    const user = await createHere('leaving@acme.com')
    const credential = await server.roster.credentials.create(server.roster.principals.tenant(acme.accountId), user.id, { name: 'Laptop' })
    assert.equal((await server.roster.authenticate(credential.secret)).kind, 'user')
    assert.equal((await call(users(`/${user.id}`), { method: 'DELETE' })).status, 200)
    const admin = await call(`/v1/admin/users/${user.id}`)
    assert.deepEqual([admin.status, admin.body], [404, { success: false, error: 'User not found' }])
    assert.deepEqual((await iamByEmail('leaving@acme.com')).body.data, [])
    await assert.rejects(server.roster.authenticate(credential.secret), UnauthenticatedError)
    const verified = await call('/v1/verify', { method: 'POST', body: { key: credential.secret } })
    assert.deepEqual([verified.status, verified.body.data.valid], [200, false])
  })

  it('usage recorded before a deletion here stays in the tenant’s usage summary', async () => {
    const user = await createHere('metered@acme.com')
    const credential = await server.roster.credentials.create(server.roster.principals.tenant(acme.accountId), user.id, { name: 'Gateway' })
    for (const units of [2, 3]) {
      const verified = await call('/v1/verify', { method: 'POST', body: { key: credential.secret, units } })
      assert.deepEqual([verified.status, verified.body.data.valid], [200, true])
    }
    const row = async () => (await call('/v1/admin/users/usage/summary?limit=1000')).body.data.users.find((u: any) => u.user_id === user.id)
    assert.deepEqual([(await row()).requests, (await row()).units, (await row()).deleted], [2, 5, false])
    assert.equal((await call(users(`/${user.id}`), { method: 'DELETE' })).status, 200)
    const kept = await row()
    assert.deepEqual([kept.requests, kept.units, kept.deleted, kept.email], [2, 5, true, null])
  })

  it('group memberships show on the user here and through the IAM filter[ou_accounts], by name or id', async () => {
    const user = await createHere('member@acme.com')
    const other = await createHere('outsider@acme.com')
    const group = (await call(`/accounts/${acme.accountId}/groups`, { method: 'POST', body: { name: 'Reviewers' } })).body
    assert.equal((await call(`/accounts/${acme.accountId}/groups/${group.id}/users/${user.id}`, { method: 'PUT' })).status, 204)
    assert.deepEqual((await call(users(`/${user.id}`))).body.group_memberships, [{ id: group.id, name: 'Reviewers' }])
    for (const value of ['Reviewers', group.id]) {
      const iam = await call(`/api/v3/iam/accounts?filter[ou_accounts]=${value}`)
      assert.deepEqual(iam.body.data.map((a: any) => a.attributes.email), ['member@acme.com'], value)
    }
    assert.deepEqual((await call(users(`/${other.id}`))).body.group_memberships, [])
  })

  it('the owner given when the tenant is created is this surface’s owner; transferOwnership moves it', async () => {
    const before = (await call(users())).body
    assert.equal(before.owner.id, acme.ownerId)
    const heir = await createHere('heir@acme.com', 'Heir', 'Apparent')
    await server.roster.tenants.transferOwnership(server.roster.principals.tenant(acme.accountId), heir.id)
    const after = (await call(`${users()}?limit=1000`)).body
    assert.equal(after.owner.id, heir.id)
    assert.ok(after.users.some((u: any) => u.id === acme.ownerId))
    assert.ok(!after.users.some((u: any) => u.id === heir.id))
    assert.equal((await call(users(`/${heir.id}`), { method: 'DELETE' })).status, 403)
    assert.equal((await call(users(`/${acme.ownerId}/reset-mfa`), { method: 'POST' })).status, 204)
    const iam = await iamByEmail('heir@acme.com')
    assert.equal(iam.body.data[0].attributes.account_type, 'owner')
  })
})
