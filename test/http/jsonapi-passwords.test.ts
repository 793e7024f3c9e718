import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { request, type RequestOptions } from '../helpers/http.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { settableClock } from '../helpers/settable-clock.js'

const BASE = '/api/v3/iam/accounts'
const PASSWORD = 'correct horse battery staple'

describe('JSON:API passwords and reset tokens', () => {
  let server: TestServer
  let acme: TestTenant
  const clock = settableClock('2026-07-01T00:00:00.000Z')
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const verify = (email: string, password: string) => server.roster.passwords.verify(acme.tenantId, email, password)
  const issue = async (id: string, body?: unknown) => {
    const res = await call(`${BASE}/${id}/password-reset`, { method: 'POST', ...(body !== undefined && { body }) })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res
  }
  const byToken = async (token: string) => (await call(`${BASE}?filter[password_reset_token]=${encodeURIComponent(token)}`)).body.data.map((a: any) => a.id)

  beforeEach(async () => {
    clock.set('2026-07-01T00:00:00.000Z')
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestTenant(server.roster, 'Acme')
  })
  afterEach(() => server.close())

  it('password on create is write-only: never echoed, auth_type password, verify accepts it', async () => {
    const res = await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'pw@acme.com', password: PASSWORD } } } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    assert.equal(res.body.data.attributes.auth_type, 'password')
    assert.ok(!JSON.stringify(res.body).includes(PASSWORD))
    assert.equal('password' in res.body.data.attributes, false)
    const shown = await call(`${BASE}/${res.body.data.id}?included=person,roles,organization`)
    assert.ok(!JSON.stringify(shown.body).includes(PASSWORD))
    assert.ok(!/password_hash|scrypt/.test(JSON.stringify(shown.body)))
    assert.equal((await verify('PW@acme.com', PASSWORD))?.email, 'pw@acme.com')
    assert.equal(await verify('pw@acme.com', 'wrong password!'), null)
    assert.equal(await verify('nobody@acme.com', PASSWORD), null)
  })

  it('PATCH password sets it (auth_type none → password); auth_type none clears it', async () => {
    const id = (await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'later@acme.com' } } } })).body.data.id
    assert.equal(await verify('later@acme.com', PASSWORD), null)
    const res = await call(`${BASE}/${id}`, { method: 'PATCH', body: { data: { type: 'accounts', attributes: { password: PASSWORD } } } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(res.body.data.attributes.auth_type, 'password')
    assert.ok(!JSON.stringify(res.body).includes(PASSWORD))
    assert.ok(await verify('later@acme.com', PASSWORD))
    assert.deepEqual((await call(`${BASE}?filter[auth_type]=password`)).body.data.map((a: any) => a.id), [id])
    const cleared = await call(`${BASE}/${id}`, { method: 'PATCH', body: { data: { type: 'accounts', attributes: { auth_type: 'none' } } } })
    assert.equal(cleared.body.data.attributes.auth_type, 'none')
    assert.equal(await verify('later@acme.com', PASSWORD), null)
  })

  it('a too-short password → 400 pointing at /data/attributes/password; nothing written', async () => {
    const res = await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 's@acme.com', password: 'short' } } } })
    assert.equal(res.status, 400)
    assert.equal(res.body.errors[0].source.pointer, '/data/attributes/password')
    assert.deepEqual((await call(BASE)).body.data, [])
  })

  it('a disabled account does not verify', async () => {
    const id = (await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'd@acme.com', password: PASSWORD } } } })).body.data.id
    await call(`${BASE}/${id}`, { method: 'PATCH', body: { data: { type: 'accounts', attributes: { enabled: false } } } })
    assert.equal(await verify('d@acme.com', PASSWORD), null)
  })

  it('reset token: returned once, no-store, found by filter, single use, then the new password verifies', async () => {
    const id = (await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'r@acme.com' } } } })).body.data.id
    const res = await issue(id)
    assert.equal(res.headers.get('cache-control'), 'no-store')
    assert.equal(res.body.data.type, 'password_resets')
    const { token, expires_at } = res.body.data.attributes
    assert.equal(typeof token, 'string')
    assert.equal(expires_at, '2026-07-01T01:00:00.000Z')
    const shown = await call(`${BASE}/${id}`)
    assert.ok(!JSON.stringify(shown.body).includes(token))
    assert.deepEqual(await byToken(token), [id])
    assert.deepEqual((await call(`${BASE}?filter[password_reset_token_expires_at]=${expires_at}`)).body.data.map((a: any) => a.id), [id])
    await server.roster.passwords.reset(acme.tenantId, token, PASSWORD)
    assert.ok(await verify('r@acme.com', PASSWORD))
    assert.deepEqual(await byToken(token), [])
    await assert.rejects(server.roster.passwords.reset(acme.tenantId, token, 'another long password'), /token/)
    assert.ok(await verify('r@acme.com', PASSWORD))
  })

  it('a new token replaces the old; an expired token is refused', async () => {
    const id = (await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 'x@acme.com' } } } })).body.data.id
    const first = (await issue(id)).body.data.attributes.token
    const second = (await issue(id, { data: { type: 'password_resets', attributes: { ttl_seconds: 120 } } })).body.data.attributes
    assert.equal(second.expires_at, '2026-07-01T00:02:00.000Z')
    assert.deepEqual(await byToken(first), [])
    await assert.rejects(server.roster.passwords.reset(acme.tenantId, first, PASSWORD), /token/)
    clock.advanceMs(121_000)
    await assert.rejects(server.roster.passwords.reset(acme.tenantId, second.token, PASSWORD), /token/)
    assert.equal(await verify('x@acme.com', PASSWORD), null)
  })

  it('reset-token errors: unknown account 404, bad ttl 400, other tenant’s token does not work', async () => {
    assert.equal((await call(`${BASE}/42/password-reset`, { method: 'POST' })).status, 404)
    const id = (await call(BASE, { method: 'POST', body: { data: { type: 'accounts', attributes: { email: 't@acme.com' } } } })).body.data.id
    const bad = await call(`${BASE}/${id}/password-reset`, { method: 'POST', body: { data: { type: 'password_resets', attributes: { ttl_seconds: 5 } } } })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.errors[0].source.pointer, '/data/attributes/ttl_seconds')
    const token = (await issue(id)).body.data.attributes.token
    const other = await createTestTenant(server.roster, 'Other')
    await assert.rejects(server.roster.passwords.reset(other.tenantId, token, PASSWORD), /token/)
  })
})
