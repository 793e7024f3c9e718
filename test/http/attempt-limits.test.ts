import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TooManyAttemptsError } from '../../src/index.js'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { renderAccountUsersError } from '../../src/http/account-users/account-users-errors.js'
import { renderAdminError } from '../../src/http/admin/admin-errors.js'
import { renderIamError } from '../../src/http/iam/iam-errors.js'
import { createTestAccount, oneError, type TestAccount } from '../helpers/account.js'
import { request } from '../helpers/http.js'
import { manualClock, type ManualClock } from '../helpers/manual-clock.js'
import { openTestRoster } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const MESSAGE = (seconds: number) => `Too many failed attempts: try again in ${seconds} seconds`

describe('attempt limits over HTTP: 429 with Retry-After', () => {
  let server: TestServer
  let clock: ManualClock
  let acme: TestAccount

  before(async () => {
    clock = manualClock()
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestAccount(server.url)
  })
  after(() => server.close())

  it('/accounts/…/mfa/verify: five wrong codes, then 429 with Retry-After in seed 003’s envelope, until the lock ends', async () => {
    const call = (path: string, body: unknown) =>
      request(server.url, `/accounts/${acme.accountId}${path}`, { method: 'POST', key: acme.key, body })
    const user = (await call('/users', { email_address: 'pat@acme.com', first_name: 'Pat', last_name: 'Lee' })).body
    const secret: string = (await call(`/users/${user.id}/mfa/totp`, {})).body.secret
    const code = (offset = 0) => hotp(base32Decode(secret)!, totpStep(clock.seconds()) + offset)
    assert.equal((await call(`/users/${user.id}/mfa/totp/confirm`, { code: code() })).status, 200)
    for (let i = 0; i < 5; i++) {
      const wrong = await call(`/users/${user.id}/mfa/verify`, { code: code(5) })
      assert.equal(wrong.status, 422)
      assert.equal(wrong.headers.get('retry-after'), null)
    }
    clock.advance(12)
    const refused = await call(`/users/${user.id}/mfa/verify`, { code: code() })
    assert.deepEqual([refused.status, refused.headers.get('retry-after')], [429, '18'])
    oneError('too_many_attempts', 'Too Many Requests', MESSAGE(18))(refused.body)
    clock.advance(18)
    const accepted = await call(`/users/${user.id}/mfa/verify`, { code: code() })
    assert.deepEqual([accepted.status, accepted.body.verified], [200, true])
  })

  it('the admin and IAM surfaces answer the same error 429 with Retry-After in their own envelopes', () => {
    const error = new TooManyAttemptsError(42)
    assert.deepEqual(renderAdminError(error, {}), {
      status: 429, headers: { 'retry-after': '42' }, body: { success: false, error: MESSAGE(42) },
    })
    const iam = renderIamError(error)
    assert.deepEqual([iam.status, iam.headers], [429, { 'retry-after': '42' }])
    assert.deepEqual((iam.body as any).errors, [{ status: '429', code: 'too_many_attempts', title: 'Too Many Requests', detail: MESSAGE(42) }])
    assert.deepEqual(renderAccountUsersError(error).headers, { 'retry-after': '42' })
  })
})
