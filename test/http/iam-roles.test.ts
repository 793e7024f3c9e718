import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { request } from '../helpers/http.js'
import { jsonApiError } from '../helpers/json-api.js'
import { BOOTSTRAP_KEY, createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const ROLES = '/api/v3/iam/roles'
const ACCOUNTS = '/api/v3/iam/accounts'

describe('IAM roles and role relationships over HTTP', () => {
  let server: TestServer
  let acme: TestTenant
  const call = (path: string, options: Parameters<typeof request>[2] = {}) => request(server.url, path, { key: acme.key, ...options })
  const createRole = async (name: string, description?: string) => {
    const res = await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: { name, ...(description && { description }) } } } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body.data
  }
  const linkage = async (id = 1) => (await call(`${ACCOUNTS}/${id}/relationships/roles`)).body.data.map((r: { id: string }) => r.id).sort()

  beforeEach(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
    await server.roster.accounts.create(acme.principal, { email: 'a@x.org' })
  })
  afterEach(() => server.close())

  it('creates, shows, lists, updates and deletes roles', async () => {
    const res = await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: { name: 'ops', description: 'on call' } } } })
    assert.equal(res.status, 201)
    const role = res.body.data
    assert.equal(res.headers.get('location'), `${ROLES}/${role.id}`)
    assert.deepEqual({ ...role.attributes, created_at: undefined }, { name: 'ops', description: 'on call', created_at: undefined, updated_at: null })
    assert.deepEqual((await call(`${ROLES}/${role.id}`)).body.data, role)
    await createRole('billing')
    const list = await call(`${ROLES}?sort=-name&count=true&fields[roles]=name`)
    assert.deepEqual(list.body.data.map((r: { attributes: unknown }) => r.attributes), [{ name: 'ops' }, { name: 'billing' }])
    assert.deepEqual(list.body.meta, { total: 2, page: { size: 1000, number: 1 } })
    const paged = await call(`${ROLES}?page[size]=1&page[number]=1&count=true`)
    assert.equal(new URL(paged.body.links.next, server.url).searchParams.get('page[number]'), '2')
    assert.equal(new URL(paged.body.links.last, server.url).searchParams.get('page[number]'), '2')
    assert.deepEqual((await call(`${ROLES}?filter[name__match]=bil`)).body.data.map((r: { attributes: { name: string } }) => r.attributes.name), ['billing'])
    assert.deepEqual((await call(`${ROLES}?filter[name]=ops`)).body.data.map((r: { id: string }) => r.id), [role.id])
    const patched = await call(`${ROLES}/${role.id}`, { method: 'PATCH', body: { data: { type: 'roles', id: role.id, attributes: { name: 'sre' } } } })
    assert.equal(patched.status, 200)
    assert.equal(patched.body.data.attributes.name, 'sre')
    assert.equal((await call(`${ROLES}/${role.id}`, { method: 'DELETE' })).status, 204)
    jsonApiError(await call(`${ROLES}/${role.id}`), 404)
    jsonApiError(await call(`${ROLES}/${role.id}`, { method: 'DELETE' }), 404)
    jsonApiError(await call(`${ROLES}/${role.id}`, { method: 'PATCH', body: { data: { type: 'roles', attributes: { name: 'x' } } } }), 404)
  })

  it('refuses bad role documents with pointers and the right statuses', async () => {
    const role = await createRole('ops')
    assert.equal(jsonApiError(await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: { name: 'ops' } } } }), 409).source.pointer, '/data/attributes/name')
    assert.equal(jsonApiError(await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: { name: 'a,b' } } } }), 400).source.pointer, '/data/attributes/name')
    assert.equal(jsonApiError(await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: {} } } }), 400).source.pointer, '/data/attributes')
    assert.equal(jsonApiError(await call(ROLES, { method: 'POST', body: { data: { type: 'groups', attributes: { name: 'x' } } } }), 409).source.pointer, '/data/type')
    assert.equal(jsonApiError(await call(ROLES, { method: 'POST', body: { data: { type: 'roles', id: 'x', attributes: { name: 'x' } } } }), 403).source.pointer, '/data/id')
    assert.equal(jsonApiError(await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: { name: 'x', created_at: 'now' } } } }), 403).source.pointer, '/data/attributes/created_at')
    assert.equal(jsonApiError(await call(`${ROLES}/${role.id}`, { method: 'PATCH', body: { data: { type: 'roles', id: 'other', attributes: {} } } }), 409).source.pointer, '/data/id')
    assert.equal(jsonApiError(await call(`${ROLES}?filter[level]=1`), 400).source.parameter, 'filter[level]')
    assert.equal(jsonApiError(await call(`${ROLES}?sort=rank`), 400).source.parameter, 'sort')
    assert.equal(jsonApiError(await call(`${ROLES}?include=accounts`), 400).source.parameter, 'include')
    jsonApiError(await call(`${ROLES}/not-a-uuid`), 404)
  })

  it('adds (POST), removes (DELETE) and replaces (PATCH) an account’s roles: 204 each', async () => {
    const [a, b, c] = [await createRole('a'), await createRole('b'), await createRole('c')]
    const body = (...roles: { id: string }[]) => ({ data: roles.map((r) => ({ type: 'roles', id: r.id })) })
    const rel = `${ACCOUNTS}/1/relationships/roles`
    const empty = await call(rel)
    assert.equal(empty.status, 200)
    assert.deepEqual(empty.body, { jsonapi: { version: '1.1' }, links: { self: rel, related: `${ACCOUNTS}/1/roles` }, data: [] })
    assert.equal((await call(rel, { method: 'POST', body: body(a, b) })).status, 204)
    assert.deepEqual(await linkage(), [a.id, b.id].sort())
    assert.equal((await call(rel, { method: 'POST', body: body(b) })).status, 204, 'adding a held role is harmless')
    assert.equal((await call(rel, { method: 'DELETE', body: body(a) })).status, 204)
    assert.deepEqual(await linkage(), [b.id])
    assert.equal((await call(rel, { method: 'PATCH', body: body(c, a) })).status, 204)
    assert.deepEqual(await linkage(), [a.id, c.id].sort())
    const related = await call(`${ACCOUNTS}/1/roles`)
    assert.deepEqual(related.body.data.map((r: { attributes: { name: string } }) => r.attributes.name), ['a', 'c'])
    const included = await call(`${ACCOUNTS}/1?include=roles`)
    assert.deepEqual(included.body.data.relationships.roles.data.map((r: { id: string }) => r.id).sort(), [a.id, c.id].sort())
    assert.deepEqual((await call(`${ACCOUNTS}?filter[role_name]=c`)).body.data.map((x: { id: string }) => x.id), ['1'])
    assert.equal((await call(rel, { method: 'PATCH', body: { data: [] } })).status, 204)
    assert.deepEqual(await linkage(), [])
    await call(rel, { method: 'POST', body: body(b) })
    await call(`${ROLES}/${b.id}`, { method: 'DELETE' })
    assert.deepEqual(await linkage(), [], 'a deleted role leaves every account')
  })

  it('refuses bad relationship documents and unknown roles, changing nothing', async () => {
    const a = await createRole('a')
    const rel = `${ACCOUNTS}/1/relationships/roles`
    const missing = '00000000-0000-4000-8000-000000000000'
    assert.equal(jsonApiError(await call(rel, { method: 'POST', body: { data: [{ type: 'roles', id: a.id }, { type: 'roles', id: missing }] } }), 404).source.pointer, '/data/1/id')
    assert.equal(jsonApiError(await call(rel, { method: 'PATCH', body: { data: [{ type: 'groups', id: a.id }] } }), 409).source.pointer, '/data/0/type')
    assert.equal(jsonApiError(await call(rel, { method: 'POST', body: { data: { type: 'roles', id: a.id } } }), 400).source.pointer, '/data')
    assert.equal(jsonApiError(await call(rel, { method: 'POST', body: { data: [{ type: 'roles', id: 5 }] } }), 400).source.pointer, '/data/0/id')
    assert.equal(jsonApiError(await call(rel, { method: 'POST', body: { data: [{ type: 'roles' }] } }), 400).source.pointer, '/data/0')
    assert.equal(jsonApiError(await call(rel, { method: 'POST', body: { data: ['x'] } }), 400).source.pointer, '/data/0')
    jsonApiError(await call(rel, { method: 'POST' }), 400)
    assert.deepEqual(await linkage(), [])
    jsonApiError(await call(`${ACCOUNTS}/9/relationships/roles`), 404)
    jsonApiError(await call(`${ACCOUNTS}/x/relationships/roles`, { method: 'POST', body: { data: [] } }), 404)
    jsonApiError(await call(`${ACCOUNTS}/9/roles`), 404)
    jsonApiError(await call(rel, { method: 'PUT', body: { data: [] } }), 405)
  })

  it('never touches another tenant’s roles or accounts', async () => {
    const beta = await createTestTenant(server.roster, 'Beta')
    const theirs = (await server.roster.roles.create(beta.principal, { name: 'theirs' }))
    jsonApiError(await call(`${ROLES}/${theirs.id}`), 404)
    jsonApiError(await call(`${ACCOUNTS}/1/relationships/roles`, { method: 'POST', body: { data: [{ type: 'roles', id: theirs.id }] } }), 404)
    const mine = await createRole('mine')
    jsonApiError(await request(server.url, `${ACCOUNTS}/1/relationships/roles`, { method: 'POST', key: beta.key, body: { data: [{ type: 'roles', id: mine.id }] } }), 404)
    assert.deepEqual((await request(server.url, ROLES, { key: beta.key })).body.data.map((r: { id: string }) => r.id), [theirs.id])
  })

  it('needs manage_roles; the bootstrap key gets 403', async () => {
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_users'])
    await server.roster.accounts.create(narrow.principal, { email: 'n@x.org' })
    for (const [method, path, body] of [
      ['GET', ROLES], ['POST', ROLES, { data: { type: 'roles', attributes: { name: 'x' } } }],
      ['GET', `${ACCOUNTS}/1/relationships/roles`], ['POST', `${ACCOUNTS}/1/relationships/roles`, { data: [] }], ['GET', `${ACCOUNTS}/1/roles`],
    ] as const) {
      const error = jsonApiError(await request(server.url, path, { method, key: narrow.key, ...(body && { body }) }), 403)
      assert.equal(error.detail, 'Permission denied: manage_roles required')
      jsonApiError(await request(server.url, path, { method, key: BOOTSTRAP_KEY, ...(body && { body }) }), 403)
    }
    assert.equal((await request(server.url, `${ACCOUNTS}/1?include=roles`, { key: narrow.key })).status, 200, 'reading included roles needs manage_users only')
  })
})
