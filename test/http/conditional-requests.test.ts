import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { request, type RequestOptions, type TestResponse } from '../helpers/http.js'
import { createTestTenant, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const CHANGED = 'The resource has changed since it was read: read it again and retry'
const ETAG = /^"[1-9][0-9]*-[0-9a-f-]{36}"$/

describe('ETags and conditional requests on every surface', () => {
  let server: TestServer
  let acme: TestTenant
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const etag = (response: TestResponse) => {
    const tag = response.headers.get('etag')
    assert.match(tag ?? '', ETAG, `a strong ETag, got ${tag}`)
    return tag!
  }
  /** GET `path`: 200 with an ETag, a 304 without a body for it (also weakly), a 200 again for another. */
  async function checkGet(path: string): Promise<string> {
    const first = await call(path)
    assert.equal(first.status, 200, JSON.stringify(first.body))
    const tag = etag(first)
    for (const ifNoneMatch of [tag, `W/${tag}`, `"other", ${tag}`, '*']) {
      const cached = await call(path, { headers: { 'if-none-match': ifNoneMatch } })
      assert.deepEqual([cached.status, cached.body, cached.headers.get('etag')], [304, undefined, tag], ifNoneMatch)
    }
    const other = await call(path, { headers: { 'if-none-match': '"something-else"' } })
    assert.deepEqual([other.status, other.headers.get('etag')], [200, tag])
    return tag
  }

  beforeEach(async () => {
    server = await startTestServer()
    acme = await createTestTenant(server.roster, 'Acme')
  })
  afterEach(() => server.close())

  it('admin: GET users/:id and by-external-id share an ETag; PATCH needs the current one', async () => {
    const user = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Ada', external_id: 'ada' } })).body.data
    const tag = await checkGet(`/v1/admin/users/${user.id}`)
    assert.equal(await checkGet('/v1/admin/users/by-external-id/ada'), tag)
    const patched = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { name: 'Ada L' }, headers: { 'if-match': tag } })
    assert.equal(patched.status, 200)
    const next = etag(patched)
    assert.notEqual(next, tag)
    assert.equal(etag(await call(`/v1/admin/users/${user.id}`)), next)
    for (const ifMatch of [tag, `W/${next}`, 'garbage', '"x"']) {
      const refused = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { name: 'Lost' }, headers: { 'if-match': ifMatch } })
      assert.deepEqual([refused.status, refused.body], [412, { success: false, error: CHANGED }], ifMatch)
    }
    assert.equal((await call(`/v1/admin/users/${user.id}`)).body.data.name, 'Ada L')
    const listed = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { name: 'Listed' }, headers: { 'if-match': `"x", ${next}` } })
    assert.equal(listed.status, 200)
    const any = await call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { name: 'Any' }, headers: { 'if-match': '*' } })
    assert.equal(any.status, 200)
    const missing = await call('/v1/admin/users/00000000-0000-4000-8000-000000000000', { method: 'PATCH', body: { name: 'X' }, headers: { 'if-match': '*' } })
    assert.equal(missing.status, 404)
  })

  it('admin: of two PATCHes with the same If-Match exactly one wins, the other gets 412', async () => {
    const user = (await call('/v1/admin/users', { method: 'POST', body: { name: 'Ada' } })).body.data
    const tag = etag(await call(`/v1/admin/users/${user.id}`))
    const answers = await Promise.all(['First', 'Second'].map((name) =>
      call(`/v1/admin/users/${user.id}`, { method: 'PATCH', body: { name }, headers: { 'if-match': tag } })))
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 412])
    const winner = answers.find((a) => a.status === 200)!.body.data.name
    assert.equal((await call(`/v1/admin/users/${user.id}`)).body.data.name, winner)
  })

  it('IAM: accounts (also me) and roles carry ETags; PATCH and DELETE answer 412 in a JSON:API error document', async () => {
    const created = await call('/api/v3/iam/accounts', { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'a@acme.test' } } } })
    assert.equal(created.status, 201)
    const tag = await checkGet('/api/v3/iam/accounts/1')
    const stale = await call('/api/v3/iam/accounts/1', {
      method: 'PATCH', headers: { 'if-match': '"stale"' }, body: { data: { type: 'accounts', id: '1', attributes: { enabled: false } } },
    })
    assert.equal(stale.status, 412)
    assert.deepEqual(stale.body.errors, [{ status: '412', code: 'precondition_failed', title: 'Precondition Failed', detail: CHANGED }])
    const patched = await call('/api/v3/iam/accounts/1', {
      method: 'PATCH', headers: { 'if-match': tag }, body: { data: { type: 'accounts', id: '1', attributes: { enabled: false } } },
    })
    assert.equal(patched.status, 200)
    const next = etag(patched)
    assert.equal(etag(await call('/api/v3/iam/accounts/1')), next)
    assert.equal((await call('/api/v3/iam/accounts/1', { method: 'DELETE', headers: { 'if-match': tag } })).status, 412)
    assert.equal((await call('/api/v3/iam/accounts/1', { method: 'DELETE', headers: { 'if-match': next } })).status, 204)

    const role = (await call('/api/v3/iam/roles', { method: 'POST', body: { data: { type: 'roles', attributes: { name: 'viewer' } } } })).body.data
    const roleTag = await checkGet(`/api/v3/iam/roles/${role.id}`)
    const body = { data: { type: 'roles', id: role.id, attributes: { description: 'Reads' } } }
    assert.equal((await call(`/api/v3/iam/roles/${role.id}`, { method: 'PATCH', body, headers: { 'if-match': '"stale"' } })).status, 412)
    const roleNext = etag(await call(`/api/v3/iam/roles/${role.id}`, { method: 'PATCH', body, headers: { 'if-match': roleTag } }))
    assert.equal((await call(`/api/v3/iam/roles/${role.id}`, { method: 'DELETE', headers: { 'if-match': roleTag } })).status, 412)
    assert.equal((await call(`/api/v3/iam/roles/${role.id}`, { method: 'DELETE', headers: { 'if-match': roleNext } })).status, 204)
  })

  it('account users: users and groups carry ETags; a membership moves the user’s; DELETE and PATCH answer 412', async () => {
    const base = `/accounts/${acme.tenantId}`
    const user = (await call(`${base}/users`, { method: 'POST', body: { email_address: 'u@acme.test', first_name: 'U', last_name: 'V' } })).body
    const tag = await checkGet(`${base}/users/${user.id}`)
    const group = (await call(`${base}/groups`, { method: 'POST', body: { name: 'Ops' } })).body
    const groupTag = await checkGet(`${base}/groups/${group.id}`)
    assert.equal((await call(`${base}/groups/${group.id}/users/${user.id}`, { method: 'PUT' })).status, 204)
    const member = etag(await call(`${base}/users/${user.id}`))
    assert.notEqual(member, tag, 'joining a group changes what the user GET shows, and its ETag')
    const refused = await call(`${base}/users/${user.id}`, { method: 'DELETE', headers: { 'if-match': tag } })
    assert.equal(refused.status, 412)
    assert.deepEqual(refused.body, { errors: [{ status: '412', code: 'precondition_failed', title: 'Precondition Failed', detail: CHANGED }] })
    const renamed = await call(`${base}/groups/${group.id}`, { method: 'PATCH', body: { name: 'SRE' }, headers: { 'if-match': groupTag } })
    assert.equal(renamed.status, 200)
    assert.equal((await call(`${base}/groups/${group.id}`, { method: 'PATCH', body: { name: 'X' }, headers: { 'if-match': groupTag } })).status, 412)
    assert.equal((await call(`${base}/groups/${group.id}`, { method: 'DELETE', headers: { 'if-match': groupTag } })).status, 412)
    assert.equal((await call(`${base}/groups/${group.id}`, { method: 'DELETE', headers: { 'if-match': etag(renamed) } })).status, 204)
    assert.equal((await call(`${base}/users/${user.id}`, { method: 'DELETE', headers: { 'if-match': etag(await call(`${base}/users/${user.id}`)) } })).status, 200)
  })
})
