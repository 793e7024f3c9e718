import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TooManyAttemptsError, ValidationError, type Account, type OpenRosterOptions, type Roster, type User } from '../../src/index.js'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { lockoutSeconds } from '../../src/core/users/user-policy.js'
import { manualClock, type ManualClock } from '../helpers/manual-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const locked = (seconds: number) => (error: unknown) =>
  error instanceof TooManyAttemptsError && error.retryAfterSeconds === seconds &&
  error.message === `Too many failed attempts: try again in ${seconds} seconds`
const wrongCode = (error: unknown) =>
  error instanceof ValidationError && error.message === 'code is not a current authentication code or an unused recovery code'

describe('attempt limits: the back-off', () => {
  it('is free for four failures, then 30 s doubling with each further failure, capped at 1 h', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map(lockoutSeconds), [0, 0, 0, 0, 0])
    assert.deepEqual([5, 6, 7, 8, 9, 10, 11, 12].map(lockoutSeconds), [30, 60, 120, 240, 480, 960, 1920, 3600])
    assert.equal(lockoutSeconds(1000), 3600)
  })
})

for (const backend of STORES) {
  describe(`${backend.name}: attempt limits`, () => {
    let roster: Roster
    let clock: ManualClock
    let acme: TestTenant
    let place: OpenRosterOptions
    const PASSWORD = 'correct horse battery'
    const login = (password: string, email = 'ann@acme.com') => roster.passwords.verify(acme.tenantId, email, password)

    beforeEach(async () => {
      clock = manualClock()
      place = await backend.roster()
      roster = await openTestRoster({ ...place, clock })
      acme = await createTestTenant(roster, 'Acme')
    })
    afterEach(() => roster.close())

    describe('passwords.verify', () => {
      let ann: Account
      beforeEach(async () => {
        ann = await roster.accounts.create(acme.principal, { email: 'ann@acme.com', password: PASSWORD })
      })

      it('five failures in a row lock the account for 30 s, even against the right password; then it works and resets', async () => {
        for (let i = 0; i < 5; i++) assert.equal(await login('wrong password'), null)
        await assert.rejects(login(PASSWORD), locked(30))
        clock.advance(29)
        await assert.rejects(login(PASSWORD), locked(1))
        clock.advance(1)
        assert.equal((await login(PASSWORD))?.id, ann.id)
        // The success forgave every failure: four more are free again.
        for (let i = 0; i < 4; i++) assert.equal(await login('wrong password'), null)
        assert.equal((await login(PASSWORD))?.id, ann.id)
      })

      it('each failure past five doubles the lock, up to an hour', async () => {
        for (let i = 0; i < 5; i++) await login('wrong password')
        let waited = 30
        for (const seconds of [60, 120, 240, 480, 960, 1920, 3600, 3600]) {
          clock.advance(waited)
          assert.equal(await login('wrong password'), null)
          await assert.rejects(login(PASSWORD), locked(seconds))
          waited = seconds
        }
      })

      it('counts per user: another account, and an unknown email, are not held up', async () => {
        await roster.accounts.create(acme.principal, { email: 'bob@acme.com', password: PASSWORD })
        for (let i = 0; i < 5; i++) await login('wrong password')
        await assert.rejects(login(PASSWORD), TooManyAttemptsError)
        assert.ok(await login(PASSWORD, 'bob@acme.com'))
        for (let i = 0; i < 7; i++) assert.equal(await login(PASSWORD, 'nobody@acme.com'), null)
      })

      it('a new password set or reset starts a new count', async () => {
        for (let i = 0; i < 5; i++) await login('wrong password')
        await roster.passwords.set(acme.principal, ann.id, 'another good password')
        assert.ok(await login('another good password'))
        for (let i = 0; i < 5; i++) await login('wrong password')
        const { token } = await roster.passwords.issueResetToken(acme.principal, ann.id)
        await roster.passwords.reset(acme.tenantId, token, 'a third good password')
        assert.ok(await login('a third good password'))
      })

      it('a burst of concurrent guesses is counted guess by guess: at most five are checked', async () => {
        const results = await Promise.allSettled(Array.from({ length: 12 }, () => login('wrong password')))
        const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof TooManyAttemptsError)
        assert.equal(results.length - refused.length, 5)
      })

      it('the lock is kept in the store: reopening does not lift it', { skip: !backend.persistent ? 'an in-memory store does not survive closing' : false }, async () => {
        for (let i = 0; i < 5; i++) await login('wrong password')
        await roster.close()
        roster = await openTestRoster({ ...place, clock })
        await assert.rejects(login(PASSWORD), locked(30))
      })
    })

    describe('MFA code verification', () => {
      let ada: User
      let secret: string
      let recoveryCodes: readonly string[]
      const code = (offset = 0) => hotp(base32Decode(secret)!, totpStep(clock.seconds()) + offset)
      const check = (value: string) => roster.mfa.verify(acme.principal, ada.id, { code: value })

      beforeEach(async () => {
        ada = await roster.users.create(acme.principal, { name: 'Ada', email: 'ada@acme.com' })
        secret = (await roster.mfa.startEnrolment(acme.principal, ada.id)).secret
        recoveryCodes = (await roster.mfa.confirm(acme.principal, ada.id, { code: code() })).recoveryCodes
      })

      it('five wrong codes lock verification for 30 s, even for a right code; a success resets the count', async () => {
        // Wrong codes, a replayed code and a malformed one all count, and all read alike.
        for (const bad of [code(5), code(), '000000x', 'zzzzz-zzzzz', code(9)]) await assert.rejects(check(bad), wrongCode, bad)
        clock.advance(10)
        await assert.rejects(check(code(1)), locked(20))
        await assert.rejects(check(recoveryCodes[0]!), locked(20))
        clock.advance(20)
        assert.equal((await check(code())).method, 'totp')
        for (let i = 0; i < 4; i++) await assert.rejects(check(code(7)), wrongCode)
        assert.equal((await check(recoveryCodes[0]!)).method, 'recovery_code')
        await assert.rejects(check(code(7)), wrongCode)
      })

      it('each failure is committed although verify throws, so the sixth attempt is refused unchecked', async () => {
        for (let i = 0; i < 5; i++) await assert.rejects(check(code(4)), wrongCode)
        await assert.rejects(check(code(1)), locked(30))
      })

      it('the lock survives reopening the store', { skip: !backend.persistent ? 'an in-memory store does not survive closing' : false }, async () => {
        for (let i = 0; i < 5; i++) await assert.rejects(check(code(4)), wrongCode)
        await roster.close()
        roster = await openTestRoster({ ...place, clock })
        await assert.rejects(check(code(1)), locked(30))
      })

      it('confirming an enrolment counts too, and resetting MFA starts clean', async () => {
        for (let i = 0; i < 5; i++) await assert.rejects(check(code(4)), wrongCode)
        await roster.mfa.reset(acme.principal, ada.id)
        const fresh = (await roster.mfa.startEnrolment(acme.principal, ada.id)).secret
        for (let i = 0; i < 5; i++) await assert.rejects(roster.mfa.confirm(acme.principal, ada.id, { code: '000000' }), wrongCode)
        await assert.rejects(roster.mfa.confirm(acme.principal, ada.id, { code: hotp(base32Decode(fresh)!, totpStep(clock.seconds())) }), locked(30))
      })
    })
  })
}
