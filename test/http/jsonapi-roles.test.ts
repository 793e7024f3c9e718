import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { request, type RequestOptions } from '../helpers/http.js'
import { createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const ROLES = '/api/v3/iam/roles'
const ACCOUNTS = '/api/v3/iam/accounts'
const rel = (id: string | number) => `${ACCOUNTS}/${id}/relationships/roles`
const linkage = (...ids: string[]) => ({ data: ids.map((id) => ({ type: 'roles', id })) })

describe('JSON:API roles and account role relationships', () => {
  let server: TestServer
  let acme: TestTenant
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const newRole = async (name: string, key = acme.key) => {
    const res = await request(server.url, ROLES, { key, method: 'POST', body: { data: { type: 'roles', attributes: { name, description: `${name} role` } } } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res
  }
  const held = async (account: number) => (await call(rel(account))).body.data.map((r: any) => r.id).sort()

  beforeEach(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
    await server.roster.accounts.create(acme.principal, { email: 'a@acme.com' })
    await server.roster.accounts.create(acme.principal, { email: 'b@acme.com' })
  })
  afterEach(() => server.close())

  it('create 201 + Location, show, list, update, delete 204 then 404', async () => {
    const created = await newRole('editor')
    const { id } = created.body.data
    assert.equal(created.headers.get('location'), `${ROLES}/${id}`)
    assert.equal(created.headers.get('content-type'), 'application/vnd.api+json')
    assert.deepEqual([created.body.data.type, created.body.data.attributes.name, created.body.data.attributes.description], ['roles', 'editor', 'editor role'])
    assert.equal((await call(`${ROLES}/${id}`)).body.data.attributes.name, 'editor')
    await newRole('auditor')
    const list = await call(`${ROLES}?sort=-name&count=true`)
    assert.deepEqual(list.body.data.map((r: any) => r.attributes.name), ['editor', 'auditor'])
    assert.equal(list.body.meta.total, 2)
    const patched = await call(`${ROLES}/${id}`, { method: 'PATCH', body: { data: { type: 'roles', id, attributes: { name: 'writer' } } } })
    assert.equal(patched.status, 200, JSON.stringify(patched.body))
    assert.equal(patched.body.data.attributes.name, 'writer')
    assert.equal((await call(`${ROLES}/${id}`, { method: 'DELETE' })).status, 204)
    assert.equal((await call(`${ROLES}/${id}`)).status, 404)
  })

  it('a duplicate role name → 409; a wrong type → 409; a missing name → 400', async () => {
    await newRole('ops')
    assert.equal((await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: { name: 'ops' } } } })).status, 409)
    assert.equal((await call(ROLES, { method: 'POST', body: { data: { type: 'accounts', attributes: { name: 'x' } } } })).status, 409)
    const missing = await call(ROLES, { method: 'POST', body: { data: { type: 'roles', attributes: {} } } })
    assert.equal(missing.status, 400)
    assert.equal(missing.body.errors[0].source.pointer, '/data/attributes')
  })

  it('relationships: POST adds, DELETE removes, PATCH replaces, GET lists; filter[role_name] follows', async () => {
    const a = (await newRole('a')).body.data.id
    const b = (await newRole('b')).body.data.id
    const c = (await newRole('c')).body.data.id
    assert.deepEqual(await held(1), [])
    assert.equal((await call(rel(1), { method: 'POST', body: linkage(a, b) })).status, 204)
    assert.deepEqual(await held(1), [a, b].sort())
    assert.equal((await call(rel(1), { method: 'POST', body: linkage(a) })).status, 204)
    assert.deepEqual(await held(1), [a, b].sort())
    assert.equal((await call(rel(1), { method: 'DELETE', body: linkage(a) })).status, 204)
    assert.deepEqual(await held(1), [b])
    assert.equal((await call(rel(1), { method: 'PATCH', body: linkage(c, a) })).status, 204)
    assert.deepEqual(await held(1), [a, c].sort())
    const names = async (role: string) => (await call(`${ACCOUNTS}?filter[role_name]=${role}`)).body.data.map((x: any) => x.id)
    assert.deepEqual(await names('c'), ['1'])
    assert.deepEqual(await names('b'), [])
    assert.equal((await call(rel(1), { method: 'PATCH', body: linkage() })).status, 204)
    assert.deepEqual(await held(1), [])
    const related = await call(`${ACCOUNTS}/2/roles`)
    assert.deepEqual(related.body.data, [])
  })

  it('deleting a role takes it away from the accounts holding it', async () => {
    const a = (await newRole('temp')).body.data.id
    await call(rel(2), { method: 'POST', body: linkage(a) })
    await call(`${ROLES}/${a}`, { method: 'DELETE' })
    assert.deepEqual(await held(2), [])
  })

  it('relationship errors: unknown role 404, unknown account 404, wrong type 409, bad body 400', async () => {
    const a = (await newRole('a')).body.data.id
    assert.equal((await call(rel(1), { method: 'POST', body: linkage('00000000-0000-4000-8000-000000000000') })).status, 404)
    assert.equal((await call(rel(99), { method: 'POST', body: linkage(a) })).status, 404)
    assert.equal((await call(rel(99))).status, 404)
    assert.equal((await call(rel(1), { method: 'POST', body: { data: [{ type: 'accounts', id: a }] } })).status, 409)
    assert.equal((await call(rel(1), { method: 'POST', body: { data: { type: 'roles', id: a } } })).status, 400)
    assert.deepEqual(await held(1), [])
  })

  it('a key without manage_roles → 403 naming the permission, on roles and relationships', async () => {
    const narrow = await createTestTenant(server.roster, 'Narrow', ['manage_users'])
    for (const [path, method] of [[ROLES, 'GET'], [ROLES, 'POST'], [rel(1), 'GET'], [rel(1), 'POST']] as const) {
      const res = await request(server.url, path, { key: narrow.key, method, ...(method === 'POST' && { body: { data: path === ROLES ? { type: 'roles', attributes: { name: 'x' } } : [] } }) })
      assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`)
      assert.match(res.body.errors[0].detail, /manage_roles/)
    }
  })

  it('tenants are isolated: another tenant sees none of these roles and cannot grant them', async () => {
    const mine = (await newRole('secret')).body.data.id
    const other = await createTestTenant(server.roster, 'Other')
    await server.roster.accounts.create(other.principal, { email: 'o@other.com' })
    assert.deepEqual((await request(server.url, ROLES, { key: other.key })).body.data, [])
    assert.equal((await request(server.url, `${ROLES}/${mine}`, { key: other.key })).status, 404)
    assert.equal((await request(server.url, `${ROLES}/${mine}`, { key: other.key, method: 'DELETE' })).status, 404)
    assert.equal((await request(server.url, rel(1), { key: other.key, method: 'POST', body: linkage(mine) })).status, 404)
    // Same name in another tenant is fine.
    await newRole('secret', other.key)
    assert.equal((await call(`${ROLES}/${mine}`)).status, 200)
  })
})
