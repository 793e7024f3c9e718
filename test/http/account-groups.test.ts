import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestAccount, oneError, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions } from '../helpers/http.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const UNPROCESSABLE = 'Unprocessable Entity'

describe('account users surface: /accounts/{accountId}/groups', () => {
  let server: TestServer
  let acme: TestAccount
  let names = 0
  const call = (path: string, options: RequestOptions = {}) => request(server.url, `/accounts/${acme.accountId}${path}`, { key: acme.key, ...options })
  const createGroup = async (name = `Group ${++names}`) => {
    const response = await call('/groups', { method: 'POST', body: { name } })
    assert.equal(response.status, 201, JSON.stringify(response.body))
    return response.body
  }
  const createUser = async () => {
    const response = await call('/users', { method: 'POST', body: { email_address: `member${++names}@acme.com`, first_name: 'M', last_name: 'Ember' } })
    return response.body
  }

  before(async () => {
    server = await startTestServer()
    acme = await createTestAccount(server.url)
  })
  after(() => server.close())

  it('POST creates a group: 201 with id, name, times and a Location; GET lists them by name', async () => {
    const response = await call('/groups', { method: 'POST', body: { name: ' Zebra ' } })
    assert.equal(response.status, 201)
    assert.match(response.body.created_at, ISO)
    assert.deepEqual(response.body, { id: response.body.id, name: 'Zebra', created_at: response.body.created_at, updated_at: null })
    assert.equal(response.headers.get('location'), `/accounts/${acme.accountId}/groups/${response.body.id}`)
    const alpha = await createGroup('Alpha')
    const list = await call('/groups')
    assert.equal(list.status, 200)
    assert.deepEqual(Object.keys(list.body), ['groups'])
    assert.deepEqual(list.body.groups.map((g: any) => g.name).filter((n: string) => n === 'Alpha' || n === 'Zebra'), ['Alpha', 'Zebra'])
    assert.deepEqual((await call(`/groups/${alpha.id}`)).body, alpha)
  })

  it('POST refuses a missing, empty, overlong or taken name and unknown fields: 422', async () => {
    await createGroup('Taken')
    const required = 'name is required and must be a non-empty string'
    const cases: [unknown, string, string, string][] = [
      [{}, 'invalid_input', required, '/name'],
      [{ name: '' }, 'invalid_input', required, '/name'],
      [{ name: ['x'] }, 'invalid_input', required, '/name'],
      [{ name: 'x'.repeat(256) }, 'invalid_input', 'name must be at most 255 characters', '/name'],
      [{ name: 'Taken' }, 'conflict', 'A group with this name already exists', '/name'],
      [{ name: 'New', members: [] }, 'invalid_input', 'Unknown field: members', '/members'],
    ]
    for (const [body, code, detail, pointer] of cases) {
      const response = await call('/groups', { method: 'POST', body })
      assert.equal(response.status, 422, JSON.stringify(body))
      oneError(code, UNPROCESSABLE, detail, { pointer })(response.body)
    }
  })

  it('PATCH renames: 200 with updated_at; a taken name is 422; an unknown group 404', async () => {
    const group = await createGroup()
    const other = await createGroup()
    const renamed = await call(`/groups/${group.id}`, { method: 'PATCH', body: { name: 'Renamed' } })
    assert.equal(renamed.status, 200)
    assert.match(renamed.body.updated_at, ISO)
    assert.deepEqual(renamed.body, { ...group, name: 'Renamed', updated_at: renamed.body.updated_at })
    const taken = await call(`/groups/${group.id}`, { method: 'PATCH', body: { name: other.name } })
    assert.equal(taken.status, 422)
    oneError('conflict', UNPROCESSABLE, 'A group with this name already exists', { pointer: '/name' })(taken.body)
    const unknown = await call(`/groups/${UNKNOWN}`, { method: 'PATCH', body: { name: 'X' } })
    assert.equal(unknown.status, 404)
    oneError('not_found', 'Not Found', 'Group not found')(unknown.body)
  })

  it('DELETE removes the group and its memberships: 204, then 404', async () => {
    const group = await createGroup()
    const user = await createUser()
    await call(`/groups/${group.id}/users/${user.id}`, { method: 'PUT' })
    const response = await call(`/groups/${group.id}`, { method: 'DELETE' })
    assert.deepEqual([response.status, response.body], [204, undefined])
    assert.equal((await call(`/groups/${group.id}`)).status, 404)
    assert.equal((await call(`/groups/${group.id}`, { method: 'DELETE' })).status, 404)
    assert.deepEqual((await call(`/users/${user.id}`)).body.group_memberships, [])
  })

  it('PUT and DELETE a membership: 204 each time, shown on the user by group name', async () => {
    const [b, a] = [await createGroup('Members B'), await createGroup('Members A')]
    const user = await createUser()
    for (let i = 0; i < 2; i++) {
      for (const group of [b, a]) {
        const response = await call(`/groups/${group.id}/users/${user.id}`, { method: 'PUT' })
        assert.deepEqual([response.status, response.body], [204, undefined])
      }
    }
    assert.deepEqual((await call(`/users/${user.id}`)).body.group_memberships, [{ id: a.id, name: 'Members A' }, { id: b.id, name: 'Members B' }])
    for (let i = 0; i < 2; i++) assert.equal((await call(`/groups/${a.id}/users/${user.id}`, { method: 'DELETE' })).status, 204)
    assert.deepEqual((await call(`/users/${user.id}`)).body.group_memberships, [{ id: b.id, name: 'Members B' }])
    const listed = (await call('/users?limit=1000')).body.users.find((u: any) => u.id === user.id)
    assert.deepEqual(listed.group_memberships, [{ id: b.id, name: 'Members B' }])
  })

  it('memberships of unknown groups or users: 404 naming which', async () => {
    const group = await createGroup()
    const user = await createUser()
    for (const method of ['PUT', 'DELETE']) {
      const noGroup = await call(`/groups/${UNKNOWN}/users/${user.id}`, { method })
      assert.equal(noGroup.status, 404)
      oneError('not_found', 'Not Found', 'Group not found')(noGroup.body)
      const noUser = await call(`/groups/${group.id}/users/${UNKNOWN}`, { method })
      assert.equal(noUser.status, 404)
      oneError('not_found', 'Not Found', 'User not found')(noUser.body)
    }
  })

  it('membership routes take no body fields and no query parameters: 422', async () => {
    const group = await createGroup()
    const user = await createUser()
    const withBody = await call(`/groups/${group.id}/users/${user.id}`, { method: 'PUT', body: { role: 'lead' } })
    assert.equal(withBody.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'Unknown field: role', { pointer: '/role' })(withBody.body)
    const withQuery = await call(`/groups?name=x`)
    assert.equal(withQuery.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'Unknown query parameter: name', { parameter: 'name' })(withQuery.body)
    assert.deepEqual((await call(`/users/${user.id}`)).body.group_memberships, [])
  })
})
