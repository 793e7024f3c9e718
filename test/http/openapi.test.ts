import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAccountUsersSurface } from '../../src/http/account-users/account-users-surface.js'
import { createAdminSurface } from '../../src/http/admin/admin-surface.js'
import { openApiDocument } from '../../src/http/create-http-handler.js'
import { createIamSurface } from '../../src/http/iam/iam-surface.js'
import { openApiFileText } from '../../src/http/openapi/write-openapi.js'
import { request } from '../helpers/http.js'
import { OPENAPI_DOCUMENT } from '../helpers/openapi.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

describe('the OpenAPI document', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer()
  })
  after(() => server.close())

  it('docs/openapi.json is the document roster generates now (run `npm run openapi` after changing a route or schema)', () => {
    assert.equal(openApiFileText(OPENAPI_DOCUMENT), openApiFileText(openApiDocument(server.roster)))
  })

  it('GET /openapi.json serves it without a key, as JSON', async () => {
    const response = await request(server.url, '/openapi.json')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    assert.deepEqual(response.body, OPENAPI_DOCUMENT)
    assert.equal(response.body.openapi, '3.1.0')
  })

  it('any other method on /openapi.json: 405 with Allow', async () => {
    const response = await request(server.url, '/openapi.json', { method: 'POST', body: {} })
    assert.deepEqual([response.status, response.headers.get('allow'), response.body], [405, 'GET, HEAD', { error: 'Method POST not allowed' }])
  })

  it('documents every route of every surface, each POST with Idempotency-Key and every failure in its envelope', () => {
    const operations = Object.entries(OPENAPI_DOCUMENT['paths'] as Record<string, Record<string, any>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })))
    const surfaces = { '/v1/': 'AdminError', '/api/v3/iam/': 'IAMError', '/accounts/': 'AccountusersError' }
    let documented = 0
    for (const { path, method, operation } of operations) {
      if (path === '/openapi.json') continue
      documented++
      const [, error] = Object.entries(surfaces).find(([prefix]) => path.startsWith(prefix))!
      for (const status of [401, 404, 413, 500]) assert.equal(operation.responses[status]?.$ref, `#/components/responses/${error}${status}`, `${method} ${path} ${status}`)
      const idempotency = (operation.parameters ?? []).some((p: any) => p.name === 'Idempotency-Key' && p.in === 'header')
      assert.equal(idempotency, method === 'post', `${method} ${path}`)
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        assert.ok(operation.parameters.some((p: any) => p.in === 'path' && `{${p.name}}` === name), `${method} ${path} ${name}`)
      }
    }
    // A route without a doc fails the build of the document itself; this checks none is documented twice or left over.
    const tables = [createAdminSurface, createIamSurface, createAccountUsersSurface].map((create) => create(server.roster).routes.length)
    assert.equal(documented, tables.reduce((a, b) => a + b))
  })

  it('request bodies come from the core’s valibot schemas in wire names', () => {
    const create = OPENAPI_DOCUMENT['paths']['/v1/admin/users'].post.requestBody.content['application/json'].schema
    assert.deepEqual(create.required, ['name'])
    assert.deepEqual(create.properties.external_id.anyOf[0], { type: 'string', minLength: 1, maxLength: 255 })
    assert.equal(create.properties.externalId, undefined)
    const owner = OPENAPI_DOCUMENT['paths']['/v1/admin/keys'].post.requestBody.content['application/json'].schema.anyOf[0].properties.owner
    assert.deepEqual(Object.keys(owner.properties).sort(), ['email_address', 'first_name', 'last_name'])
  })

  it('a response that does not match the document fails the test that received it', async () => {
    const { assertDocumented } = await import('../helpers/openapi.js')
    assert.throws(() => assertDocumented('GET', '/v1/admin/users/x', 200, 'application/json', { success: true, data: { id: 1 } }), /does not match/)
    assert.throws(() => assertDocumented('GET', '/v1/admin/users/x', 418, 'application/json', {}), /does not list/)
    assert.throws(() => assertDocumented('DELETE', '/api/v3/iam/roles/r', 204, 'application/json', { x: 1 }), /with a body/)
    assert.doesNotThrow(() => assertDocumented('GET', '/v1/admin/users/x', 404, 'application/json; charset=utf-8', { success: false, error: 'Not found' }))
    // Answers are described field by field: one member more than the document gives fails too.
    const tenant = await server.roster.tenants.create(server.roster.principals.bootstrap(), { entityName: 'Strict' })
    const user = await request(server.url, '/v1/admin/users', { method: 'POST', key: tenant.key.secret, body: { name: 'Strict' } })
    const stray = { ...user.body, data: { ...user.body.data, password_hash: 'x' } }
    assert.throws(() => assertDocumented('POST', '/v1/admin/users', 201, 'application/json', stray), /password_hash|additional/)
    const role = { jsonapi: { version: '1.1' }, data: { type: 'roles', id: 'r', attributes: { name: 'x', secret: 'y' } } }
    assert.throws(() => assertDocumented('GET', '/api/v3/iam/roles/r', 200, 'application/vnd.api+json', role), /does not match/)
  })
})
