import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestAccount, oneError, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions } from '../helpers/http.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const UNPROCESSABLE = 'Unprocessable Entity'

describe('account users surface: /accounts/{accountId}/users', () => {
  let server: TestServer
  let acme: TestAccount
  let created = 0
  const call = (path: string, options: RequestOptions = {}) => request(server.url, `/accounts/${acme.accountId}${path}`, { key: acme.key, ...options })
  const create = async (body: Record<string, unknown> = {}) => {
    const n = ++created
    const response = await call('/users', { method: 'POST', body: { email_address: `user${n}@acme.com`, first_name: 'User', last_name: `No${n}`, ...body } })
    assert.equal(response.status, 201, JSON.stringify(response.body))
    return response.body
  }

  before(async () => {
    server = await startTestServer()
    acme = await createTestAccount(server.url)
  })
  after(() => server.close())

  it('POST creates a user: 201 with the seed’s user object and a Location', async () => {
    const response = await call('/users', { method: 'POST', body: { email_address: 'user@example.com', first_name: 'Ada', last_name: 'Lovelace' } })
    assert.equal(response.status, 201)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    assert.match(response.body.id, UUID)
    assert.deepEqual(response.body, { id: response.body.id, first_name: 'Ada', last_name: 'Lovelace', email_address: 'user@example.com', group_memberships: [] })
    assert.equal(response.headers.get('location'), `/accounts/${acme.accountId}/users/${response.body.id}`)
    const fetched = await call(`/users/${response.body.id}`)
    assert.deepEqual([fetched.status, fetched.body], [200, response.body])
  })

  it('GET a user also takes the key as X-API-Key, and the ids in upper case', async () => {
    const user = await create()
    const response = await request(server.url, `/accounts/${acme.accountId.toUpperCase()}/users/${user.id.toUpperCase()}`, { headers: { 'x-api-key': acme.key } })
    assert.deepEqual([response.status, response.body], [200, user])
  })

  it('GET the owner by id answers the owner', async () => {
    const response = await call(`/users/${acme.ownerId}`)
    assert.deepEqual([response.status, response.body.id, response.body.email_address], [200, acme.ownerId, 'owner@acme.example'])
  })

  it('POST without each required field: 422 pointing at it', async () => {
    const full = { email_address: 'missing@acme.com', first_name: 'A', last_name: 'B' }
    for (const field of Object.keys(full)) {
      const body: Record<string, unknown> = { ...full }
      delete body[field]
      const response = await call('/users', { method: 'POST', body })
      assert.equal(response.status, 422)
      oneError('invalid_input', UNPROCESSABLE, `${field} is required and must be a non-empty string`, { pointer: `/${field}` })(response.body)
    }
    const empty = await call('/users', { method: 'POST' })
    assert.equal(empty.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'email_address is required and must be a non-empty string', { pointer: '/email_address' })(empty.body)
  })

  it('POST with bad values: 422 naming the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ email_address: 'not-an-email' }, 'email_address', 'email_address must be a valid email address'],
      [{ email_address: 42 }, 'email_address', 'email_address is required and must be a non-empty string'],
      [{ first_name: '   ' }, 'first_name', 'first_name is required and must be a non-empty string'],
      [{ last_name: null }, 'last_name', 'last_name is required and must be a non-empty string'],
      [{ last_name: 'x'.repeat(256) }, 'last_name', 'last_name must be at most 255 characters'],
      [{ email_address: `${'x'.repeat(250)}@a.com` }, 'email_address', 'email_address must be at most 254 characters'],
    ]
    for (const [change, field, detail] of cases) {
      const response = await call('/users', { method: 'POST', body: { email_address: 'ok@acme.com', first_name: 'A', last_name: 'B', ...change } })
      assert.equal(response.status, 422, JSON.stringify(change))
      oneError('invalid_input', UNPROCESSABLE, detail, { pointer: `/${field}` })(response.body)
    }
  })

  it('POST with unknown fields: 422 with one error per field, nothing created', async () => {
    const before = (await call('/users')).headers.get('x-total-count')
    const response = await call('/users', {
      method: 'POST', body: { email_address: 'u@acme.com', first_name: 'A', last_name: 'B', firstName: 'A', 'a/b~c': 1 },
    })
    assert.equal(response.status, 422)
    assert.deepEqual(response.body, {
      errors: [
        { status: '422', code: 'invalid_input', title: UNPROCESSABLE, detail: 'Unknown field: firstName', source: { pointer: '/firstName' } },
        { status: '422', code: 'invalid_input', title: UNPROCESSABLE, detail: 'Unknown field: a/b~c', source: { pointer: '/a~1b~0c' } },
      ],
    })
    assert.equal((await call('/users')).headers.get('x-total-count'), before)
  })

  it('POST with an email already in the account, in any case: 422, and the same email is fine in another account', async () => {
    await create({ email_address: 'taken@acme.com' })
    const response = await call('/users', { method: 'POST', body: { email_address: 'TAKEN@acme.com', first_name: 'A', last_name: 'B' } })
    assert.equal(response.status, 422)
    oneError('conflict', UNPROCESSABLE, 'A user with this email already exists', { pointer: '/email_address' })(response.body)
    const beta = await createTestAccount(server.url, { name: 'Beta' })
    const elsewhere = await request(server.url, `/accounts/${beta.accountId}/users`, {
      method: 'POST', key: beta.key, body: { email_address: 'taken@acme.com', first_name: 'A', last_name: 'B' },
    })
    assert.equal(elsewhere.status, 201)
  })

  it('POST with JSON that is not an object: 422, nothing created', async () => {
    const before = (await call('/users')).headers.get('x-total-count')
    for (const raw of ['null', '[]', '["email_address"]', '"user@example.com"', '42']) {
      const response = await call('/users', { method: 'POST', raw, headers: { 'content-type': 'application/json' } })
      assert.equal(response.status, 422, raw)
      oneError('invalid_input', UNPROCESSABLE, 'body must be a JSON object')(response.body)
    }
    assert.equal((await call('/users')).headers.get('x-total-count'), before)
  })

  it('POST with a body that is not JSON: 400, 413 and 415 in the same envelope', async () => {
    const malformed = await call('/users', { method: 'POST', raw: '{"email_address":', headers: { 'content-type': 'application/json' } })
    assert.equal(malformed.status, 400)
    oneError('malformed_json', 'Bad Request', 'Malformed JSON body')(malformed.body)
    const typed = await call('/users', { method: 'POST', raw: 'email_address=a@b.co', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(typed.status, 415)
    oneError('unsupported_media_type', 'Unsupported Media Type', /send application\/json/)(typed.body)
    const huge = await call('/users', { method: 'POST', raw: JSON.stringify({ first_name: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } })
    assert.equal(huge.status, 413)
    oneError('payload_too_large', 'Payload Too Large', /exceeds 1048576 bytes/)(huge.body)
  })

  it('query parameters where none are taken: 422 naming each', async () => {
    const user = await create()
    for (const [method, path] of [['GET', `/users/${user.id}`], ['POST', '/users'], ['POST', `/users/${user.id}/reset-mfa`]]) {
      const response = await call(`${path}?verbose=1&x=2`, { method: method!, body: method === 'POST' && path === '/users' ? {} : undefined })
      assert.equal(response.status, 422, path)
      assert.deepEqual(response.body.errors.map((e: any) => [e.detail, e.source]), [
        ['Unknown query parameter: verbose', { parameter: 'verbose' }], ['Unknown query parameter: x', { parameter: 'x' }],
      ])
    }
  })

  it('GET an unknown user: 404', async () => {
    const response = await call(`/users/${UNKNOWN}`)
    assert.equal(response.status, 404)
    oneError('not_found', 'Not Found', 'User not found')(response.body)
  })

  it('DELETE a user: 200 with the user as it was, groups included; it is gone after', async () => {
    const user = await create()
    const group = (await call('/groups', { method: 'POST', body: { name: 'Leavers' } })).body
    assert.equal((await call(`/groups/${group.id}/users/${user.id}`, { method: 'PUT' })).status, 204)
    const response = await call(`/users/${user.id}`, { method: 'DELETE' })
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    assert.deepEqual(response.body, { ...user, group_memberships: [{ id: group.id, name: 'Leavers' }] })
    assert.equal((await call(`/users/${user.id}`)).status, 404)
    const again = await call(`/users/${user.id}`, { method: 'DELETE' })
    assert.equal(again.status, 404)
    oneError('not_found', 'Not Found', 'User not found')(again.body)
  })

  it('DELETE the owner: 403, and the owner stays', async () => {
    const response = await call(`/users/${acme.ownerId}`, { method: 'DELETE' })
    assert.equal(response.status, 403)
    oneError('forbidden', 'Forbidden', 'The account owner cannot be deleted')(response.body)
    assert.equal((await call('/users')).body.owner.id, acme.ownerId)
  })

  it('POST reset-mfa: 204 with no body, also for a user without MFA', async () => {
    const user = await create()
    const response = await call(`/users/${user.id}/reset-mfa`, { method: 'POST' })
    assert.deepEqual([response.status, response.body], [204, undefined])
  })

  it('POST reset-mfa on the owner: 403; on an unknown user: 404; with body fields: 422', async () => {
    const owner = await call(`/users/${acme.ownerId}/reset-mfa`, { method: 'POST' })
    assert.equal(owner.status, 403)
    oneError('forbidden', 'Forbidden', 'The account owner’s MFA cannot be reset through this endpoint')(owner.body)
    const unknown = await call(`/users/${UNKNOWN}/reset-mfa`, { method: 'POST' })
    assert.equal(unknown.status, 404)
    oneError('not_found', 'Not Found', 'User not found')(unknown.body)
    const user = await create()
    const withBody = await call(`/users/${user.id}/reset-mfa`, { method: 'POST', body: { force: true } })
    assert.equal(withBody.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'Unknown field: force', { pointer: '/force' })(withBody.body)
  })

  it('unknown paths: 404, known paths with another method: 405 with Allow, in the same envelope', async () => {
    const user = await create()
    const missing = await call('/people')
    assert.equal(missing.status, 404)
    oneError('not_found', 'Not Found', 'Not found')(missing.body)
    assert.equal((await request(server.url, '/accounts', { key: acme.key })).status, 404)
    const wrong = await call(`/users/${user.id}`, { method: 'PATCH', body: { first_name: 'X' } })
    assert.equal(wrong.status, 405)
    assert.equal(wrong.headers.get('allow'), 'GET, DELETE')
    oneError('method_not_allowed', 'Method Not Allowed', 'Method PATCH not allowed')(wrong.body)
  })
})
