import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { createTestAccount, oneError, type TestAccount } from '../helpers/account.js'
import { request, type RequestOptions } from '../helpers/http.js'
import { manualClock, type ManualClock } from '../helpers/manual-clock.js'
import { openTestRoster } from '../helpers/roster.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const UNPROCESSABLE = 'Unprocessable Entity'
const RECOVERY = /^[0-9a-z]{5}-[0-9a-z]{5}$/

describe('account users surface: MFA enrolment, verification and reset-mfa', () => {
  let server: TestServer
  let clock: ManualClock
  let acme: TestAccount
  let people = 0
  const call = (path: string, options: RequestOptions = {}) => request(server.url, `/accounts/${acme.accountId}${path}`, { key: acme.key, ...options })
  /** The code an authenticator app holding `secret` shows `offset` steps from now. */
  const code = (secret: string, offset = 0) => hotp(base32Decode(secret)!, totpStep(clock.seconds()) + offset)
  const createUser = async () => (await call('/users', {
    method: 'POST', body: { email_address: `person${++people}@acme.com`, first_name: 'Pat', last_name: `No${people}` },
  })).body
  const mfa = (userId: string, path = '', body?: unknown) => call(`/users/${userId}/mfa${path}`, { method: path || body ? 'POST' : 'GET', body })

  async function enrol(userId: string) {
    const started = await mfa(userId, '/totp', {})
    assert.equal(started.status, 201, JSON.stringify(started.body))
    const confirmed = await mfa(userId, '/totp/confirm', { code: code(started.body.secret) })
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body))
    return { secret: started.body.secret as string, recoveryCodes: confirmed.body.recovery_codes as string[] }
  }

  before(async () => {
    clock = manualClock()
    server = await startTestServer(await openTestRoster({ clock }))
    acme = await createTestAccount(server.url)
  })
  after(() => server.close())

  it('enrolment → confirm → verify → reset-mfa → verify fails → a clean new enrolment', async () => {
    const user = await createUser()
    assert.deepEqual((await mfa(user.id)).body, { state: 'none', confirmed_at: null, recovery_codes_remaining: 0 })

    const started = await mfa(user.id, '/totp', {})
    assert.equal(started.status, 201)
    const { secret, otpauth_uri } = started.body
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.equal(otpauth_uri, `otpauth://totp/roster:${encodeURIComponent(user.email_address)}?secret=${secret}&issuer=roster&algorithm=SHA1&digits=6&period=30`)
    assert.equal((await mfa(user.id)).body.state, 'pending')

    const confirmed = await mfa(user.id, '/totp/confirm', { code: code(secret) })
    assert.equal(confirmed.status, 200)
    assert.deepEqual(Object.keys(confirmed.body), ['recovery_codes'])
    const recovery: string[] = confirmed.body.recovery_codes
    assert.equal(new Set(recovery).size, 10)
    for (const one of recovery) assert.match(one, RECOVERY)
    assert.deepEqual((await mfa(user.id)).body, { state: 'enabled', confirmed_at: clock.now(), recovery_codes_remaining: 10 })

    clock.advance(30)
    const verified = await mfa(user.id, '/verify', { code: code(secret) })
    assert.deepEqual([verified.status, verified.body], [200, { verified: true, method: 'totp', recovery_codes_remaining: 10 }])
    const replay = await mfa(user.id, '/verify', { code: code(secret) })
    assert.equal(replay.status, 422)
    // A replay gets a wrong code's answer, word for word.
    oneError('invalid_input', UNPROCESSABLE, 'code is not a current authentication code or an unused recovery code', { pointer: '/code' })(replay.body)
    const byRecovery = await mfa(user.id, '/verify', { code: recovery[0] })
    assert.deepEqual([byRecovery.status, byRecovery.body], [200, { verified: true, method: 'recovery_code', recovery_codes_remaining: 9 }])
    assert.equal((await mfa(user.id, '/verify', { code: recovery[0] })).status, 422)

    const reset = await call(`/users/${user.id}/reset-mfa`, { method: 'POST' })
    assert.deepEqual([reset.status, reset.body], [204, undefined])
    assert.deepEqual((await mfa(user.id)).body, { state: 'none', confirmed_at: null, recovery_codes_remaining: 0 })
    clock.advance(30)
    for (const attempt of [code(secret), recovery[1]]) {
      const refused = await mfa(user.id, '/verify', { code: attempt })
      assert.equal(refused.status, 422)
      oneError('invalid_input', UNPROCESSABLE, 'MFA is not enabled for this user')(refused.body)
    }

    const again = await enrol(user.id)
    assert.notEqual(again.secret, secret)
    assert.ok(again.recoveryCodes.every((one) => !recovery.includes(one)))
    const oldRecovery = await mfa(user.id, '/verify', { code: recovery[2] })
    assert.equal(oldRecovery.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'code is not a current authentication code or an unused recovery code', { pointer: '/code' })(oldRecovery.body)
    assert.equal((await mfa(user.id)).body.recovery_codes_remaining, 10)
  })

  it('starting an enrolment takes an optional issuer and nothing else', async () => {
    const user = await createUser()
    const named = await mfa(user.id, '/totp', { issuer: 'Acme Portal' })
    assert.match(named.body.otpauth_uri, /^otpauth:\/\/totp\/Acme%20Portal:person\d+%40acme\.com\?secret=[A-Z2-7]{32}&issuer=Acme%20Portal&/)
    const unknown = await mfa(user.id, '/totp', { issuer: 'X', digits: 8 })
    assert.equal(unknown.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'Unknown field: digits', { pointer: '/digits' })(unknown.body)
    const empty = await mfa(user.id, '/totp', { issuer: ' ' })
    assert.equal(empty.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'issuer must not be empty', { pointer: '/issuer' })(empty.body)
  })

  it('confirm and verify refuse wrong codes and wrong states with 422', async () => {
    const user = await createUser()
    const nothing = await mfa(user.id, '/totp/confirm', { code: '123456' })
    assert.equal(nothing.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'No MFA enrolment to confirm: start one first')(nothing.body)
    const { secret } = (await mfa(user.id, '/totp', {})).body
    const wrong = await mfa(user.id, '/totp/confirm', { code: code(secret, 3) })
    assert.equal(wrong.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'code is not a current authentication code or an unused recovery code', { pointer: '/code' })(wrong.body)
    const missing = await mfa(user.id, '/totp/confirm', { token: '123456' })
    assert.equal(missing.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'Unknown field: token', { pointer: '/token' })(missing.body)
    const empty = await mfa(user.id, '/verify', { code: '' })
    assert.equal(empty.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'code is required and must be a string', { pointer: '/code' })(empty.body)
    assert.equal((await mfa(user.id, '/totp/confirm', { code: code(secret) })).status, 200)
    const twice = await mfa(user.id, '/totp', {})
    assert.equal(twice.status, 422)
    oneError('invalid_input', UNPROCESSABLE, 'MFA is already enabled for this user: reset it before enrolling again')(twice.body)
  })

  it('an admin key cannot enrol the owner: 403; the host can, and reset-mfa on the owner is 403 and leaves it in place', async () => {
    const owner = acme.ownerId!
    for (const [path, body] of [['/totp', {}], ['/totp/confirm', { code: '123456' }]] as const) {
      const refused = await mfa(owner, path, body)
      assert.equal(refused.status, 403, path)
      oneError('forbidden', 'Forbidden', "The account owner's MFA cannot be changed with an admin key")(refused.body)
    }
    const host = server.roster.principals.tenant(acme.accountId)
    const { secret } = await server.roster.mfa.startEnrolment(host, owner)
    await server.roster.mfa.confirm(host, owner, { code: code(secret) })
    const response = await call(`/users/${owner}/reset-mfa`, { method: 'POST' })
    assert.equal(response.status, 403)
    oneError('forbidden', 'Forbidden', 'The account owner’s MFA cannot be reset through this endpoint')(response.body)
    assert.equal((await mfa(owner)).body.state, 'enabled')
    // Verifying is no change: the host checks the owner's codes through any key.
    clock.advance(30)
    assert.equal((await mfa(owner, '/verify', { code: code(secret) })).status, 200)
  })

  it('MFA routes of an unknown user: 404', async () => {
    for (const [path, body] of [['', undefined], ['/totp', {}], ['/totp/confirm', { code: '123456' }], ['/verify', { code: '123456' }]] as const) {
      const response = await mfa(UNKNOWN, path, body)
      assert.equal(response.status, 404, path)
      oneError('not_found', 'Not Found', 'User not found')(response.body)
    }
  })
})
