import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { expectAdminError } from '../helpers/admin-error.js'
import { createTestAccount, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions } from '../helpers/http.js'
import { jsonApiError } from '../helpers/json-api.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const IAM = '/api/v3/iam/accounts'
const refusal = (what: string) => `The account owner's ${what} cannot be changed with an admin key`

describe('the owner policy on every surface', () => {
  let server: TestServer
  let acme: TestAccount
  let ownerNumber: string
  const call = (path: string, options: RequestOptions = {}) => request(server.url, path, { key: acme.key, ...options })
  const patchOwner = (attributes: Record<string, unknown>) =>
    call(`${IAM}/${ownerNumber}`, { method: 'PATCH', body: { data: { type: 'accounts', attributes } } })

  before(async () => {
    server = await startTestServer()
    acme = await createTestAccount(server.url)
    ownerNumber = (await call(`${IAM}?filter[account_type]=owner`)).body.data[0].id
  })
  after(() => server.close())

  it('/v1/admin: the owner’s email, status and credentials answer 403 in the admin envelope', async () => {
    const owner = `/v1/admin/users/${acme.ownerId}`
    await expectAdminError(call(owner, { method: 'PATCH', body: { email: 'mallory@evil.test' } }), 403, refusal('email'))
    await expectAdminError(call(`${owner}/suspend`, { method: 'POST', body: { reason: 'takeover' } }), 403, refusal('status'))
    await expectAdminError(call(`${owner}/credentials`, { method: 'POST', body: { name: 'backdoor' } }), 403, refusal('credentials'))
    const renamed = await call(owner, { method: 'PATCH', body: { name: 'Olive O.', email: 'owner@acme.example' } })
    assert.deepEqual([renamed.status, renamed.body.data.name, renamed.body.data.status], [200, 'Olive O.', 'active'])
    assert.equal((await call(`${owner}/reactivate`, { method: 'POST' })).status, 200)
  })

  it('/api/v3/iam: PATCH of the owner’s email, password, enabled or expires_at and a reset token answer 403', async () => {
    for (const [attributes, what] of [
      [{ email: 'mallory@evil.test' }, 'email'],
      [{ password: 'mallory was here' }, 'password'],
      [{ auth_type: 'none' }, null],
      [{ enabled: false }, 'status'],
      [{ expires_at: '2026-01-01T00:00:00Z' }, 'expiry'],
    ] as const) {
      const response = await patchOwner(attributes)
      // The owner has no password yet, so auth_type none changes nothing and is allowed.
      if (what === null) assert.equal(response.status, 200)
      else assert.equal(jsonApiError(response, 403, 'forbidden').detail, refusal(what))
    }
    const reset = await call(`${IAM}/${ownerNumber}/password-reset`, { method: 'POST' })
    assert.equal(jsonApiError(reset, 403, 'forbidden').detail, refusal('password'))
    const shown = (await call(`${IAM}/${ownerNumber}`)).body.data.attributes
    assert.deepEqual([shown.email, shown.enabled, shown.expires_at, shown.auth_type], ['owner@acme.example', true, null, 'none'])
  })

  it('no surface lets a key take the owner’s account, and the host still can change it', async () => {
    const host = server.roster.principals.tenant(acme.accountId)
    await server.roster.passwords.set(host, Number(ownerNumber), 'the owner’s own password')
    assert.equal((await server.roster.passwords.verify(acme.accountId, 'owner@acme.example', 'the owner’s own password'))?.id, Number(ownerNumber))
    assert.equal(jsonApiError(await patchOwner({ auth_type: 'none' }), 403, 'forbidden').detail, refusal('password'))
  })
})
