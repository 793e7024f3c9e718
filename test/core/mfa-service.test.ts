import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ForbiddenError, MfaStateError, NotFoundError, ValidationError, type Roster, type User } from '../../src/index.js'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { manualClock, type ManualClock } from '../helpers/manual-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const wrongCode = (pattern: RegExp = /not a current authentication code/) => (error: unknown) =>
  error instanceof ValidationError && error.field === 'code' && pattern.test(error.message)
const state = (pattern: RegExp) => (error: unknown) => error instanceof MfaStateError && pattern.test(error.message)

for (const backend of STORES) {
  describe(`${backend.name}: mfa service`, () => {
    let roster: Roster
    let clock: ManualClock
    let acme: TestTenant
    let ada: User

    /** The code of `secret` for the step `offset` steps from the clock's current one. */
    const code = (secret: string, offset = 0) => hotp(base32Decode(secret)!, totpStep(clock.seconds()) + offset)

    async function enrol(user = ada): Promise<{ secret: string; recoveryCodes: readonly string[] }> {
      const { secret } = await roster.mfa.startEnrolment(acme.principal, user.id)
      const { recoveryCodes } = await roster.mfa.confirm(acme.principal, user.id, { code: code(secret) })
      return { secret, recoveryCodes }
    }

    beforeEach(async () => {
      clock = manualClock()
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      ada = await roster.users.create(acme.principal, { name: 'Ada Lovelace', email: 'ada@acme.com' })
    })
    afterEach(() => roster.close())

    it('starts an enrolment: a 160-bit base32 secret and its otpauth URI, labelled with the email', async () => {
      const { secret, otpauthUri } = await roster.mfa.startEnrolment(acme.principal, ada.id)
      assert.match(secret, /^[A-Z2-7]{32}$/)
      assert.equal(otpauthUri, `otpauth://totp/roster:ada%40acme.com?secret=${secret}&issuer=roster&algorithm=SHA1&digits=6&period=30`)
      const named = await roster.users.create(acme.principal, { name: 'No Mail' })
      const custom = await roster.mfa.startEnrolment(acme.principal, named.id, { issuer: 'Acme App' })
      assert.match(custom.otpauthUri, /^otpauth:\/\/totp\/Acme%20App:No%20Mail\?secret=[A-Z2-7]{32}&issuer=Acme%20App&/)
      assert.deepEqual(await roster.mfa.status(acme.principal, ada.id), { state: 'pending', confirmedAt: null, recoveryCodesRemaining: 0 })
    })

    it('confirms with a current code and returns ten distinct one-time recovery codes', async () => {
      const { secret } = await roster.mfa.startEnrolment(acme.principal, ada.id)
      await assert.rejects(roster.mfa.confirm(acme.principal, ada.id, { code: code(secret, 2) }), wrongCode())
      assert.equal((await roster.mfa.status(acme.principal, ada.id)).state, 'pending')
      const { recoveryCodes } = await roster.mfa.confirm(acme.principal, ada.id, { code: ` ${code(secret)} ` })
      assert.equal(new Set(recoveryCodes).size, 10)
      for (const recovery of recoveryCodes) assert.match(recovery, /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/)
      assert.deepEqual(await roster.mfa.status(acme.principal, ada.id), { state: 'enabled', confirmedAt: clock.now(), recoveryCodesRemaining: 10 })
    })

    it('refuses to confirm with nothing pending, and to enrol or confirm again once enabled', async () => {
      await assert.rejects(roster.mfa.confirm(acme.principal, ada.id, { code: '123456' }), state(/No MFA enrolment to confirm/))
      const { secret } = await enrol()
      await assert.rejects(roster.mfa.startEnrolment(acme.principal, ada.id), state(/already enabled/))
      await assert.rejects(roster.mfa.confirm(acme.principal, ada.id, { code: code(secret, 1) }), state(/already enabled/))
    })

    it('a new enrolment replaces a pending one: only the newest secret confirms', async () => {
      const first = await roster.mfa.startEnrolment(acme.principal, ada.id)
      const second = await roster.mfa.startEnrolment(acme.principal, ada.id)
      assert.notEqual(first.secret, second.secret)
      if (code(first.secret) !== code(second.secret)) {
        await assert.rejects(roster.mfa.confirm(acme.principal, ada.id, { code: code(first.secret) }), wrongCode())
      }
      await roster.mfa.confirm(acme.principal, ada.id, { code: code(second.secret) })
    })

    it('verifies current codes once each: the confirming step and any earlier one are replays', async () => {
      const { secret } = await enrol()
      // A replay hears exactly what a wrong code hears: "already used" would confirm the guess.
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: code(secret) }), wrongCode())
      clock.advance(30)
      assert.deepEqual(await roster.mfa.verify(acme.principal, ada.id, { code: code(secret) }), { method: 'totp', recoveryCodesRemaining: 10 })
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: code(secret) }), wrongCode())
      // One step of drift either way is accepted; a step ahead spends every step up to it.
      await roster.mfa.verify(acme.principal, ada.id, { code: code(secret, 1) })
      clock.advance(30)
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: code(secret, -1) }), wrongCode())
      clock.advance(60)
      await roster.mfa.verify(acme.principal, ada.id, { code: code(secret, -1) })
    })

    it('refuses codes two steps away, wrong codes and malformed ones', async () => {
      const { secret } = await enrol()
      clock.advance(300)
      for (const bad of [code(secret, -2), code(secret, 2), '12345', '1234567', 'abcdef', 'not-a-code']) {
        if (bad === code(secret) || bad === code(secret, -1) || bad === code(secret, 1)) continue
        await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: bad }), wrongCode(), bad)
        // A success after each keeps the count below the attempt limit.
        clock.advance(30)
        await roster.mfa.verify(acme.principal, ada.id, { code: code(secret) })
      }
      for (const input of [{}, { code: '' }, { code: 123456 }, { code: 'x'.repeat(65) }, { code: '1', extra: 1 }]) {
        await assert.rejects(roster.mfa.verify(acme.principal, ada.id, input as never), ValidationError, JSON.stringify(input))
      }
    })

    it('spends each recovery code once, however it is typed', async () => {
      const { recoveryCodes } = await enrol()
      const [first, second] = recoveryCodes as [string, string]
      assert.deepEqual(await roster.mfa.verify(acme.principal, ada.id, { code: first }), { method: 'recovery_code', recoveryCodesRemaining: 9 })
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: first }), wrongCode())
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: first.replace('-', '').toUpperCase() }), wrongCode())
      const typed = ` ${second.replace('-', ' ').toUpperCase()} `
      assert.deepEqual(await roster.mfa.verify(acme.principal, ada.id, { code: typed }), { method: 'recovery_code', recoveryCodesRemaining: 8 })
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: 'aaaaa-aaaaa' }), wrongCode())
      assert.equal((await roster.mfa.status(acme.principal, ada.id)).recoveryCodesRemaining, 8)
    })

    it('accepts one of two concurrent verifications of the same code', async () => {
      const { secret, recoveryCodes } = await enrol()
      clock.advance(30)
      for (const shared of [code(secret), recoveryCodes[0]!]) {
        const results = await Promise.allSettled([1, 2, 3].map(() => roster.mfa.verify(acme.principal, ada.id, { code: shared })))
        assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected', 'rejected'])
      }
    })

    it('verification without confirmed MFA is refused as a state, not a wrong code', async () => {
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: '123456' }), state(/not enabled/))
      await roster.mfa.startEnrolment(acme.principal, ada.id)
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: '123456' }), state(/not enabled/))
    })

    it('reset removes the factor and every recovery code; a new enrolment starts clean', async () => {
      const old = await enrol()
      await roster.mfa.reset(acme.principal, ada.id)
      assert.deepEqual(await roster.mfa.status(acme.principal, ada.id), { state: 'none', confirmedAt: null, recoveryCodesRemaining: 0 })
      clock.advance(30)
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: code(old.secret) }), state(/not enabled/))
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: old.recoveryCodes[1]! }), state(/not enabled/))
      const fresh = await enrol()
      assert.notEqual(fresh.secret, old.secret)
      await assert.rejects(roster.mfa.verify(acme.principal, ada.id, { code: old.recoveryCodes[1]! }), wrongCode())
      assert.equal((await roster.mfa.status(acme.principal, ada.id)).recoveryCodesRemaining, 10)
      await roster.mfa.reset(acme.principal, ada.id)
      await roster.mfa.reset(acme.principal, ada.id)
    })

    it('resets the tenant owner too (the library is not bound by seed 003’s endpoint rule)', async () => {
      const { owner } = await roster.tenants.create(roster.principals.bootstrap(), {
        entityName: 'Owned', owner: { email: 'o@owned.com', firstName: 'O', lastName: 'Wner' },
      })
      const admin = roster.principals.tenant(owner!.tenantId)
      const { secret } = await roster.mfa.startEnrolment(admin, owner!.id)
      await roster.mfa.confirm(admin, owner!.id, { code: code(secret) })
      await roster.mfa.reset(admin, owner!.id)
      assert.equal((await roster.mfa.status(admin, owner!.id)).state, 'none')
    })

    it('answers NotFoundError for malformed, unknown and other tenants’ users', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      const stranger = await roster.users.create(beta.principal, { name: 'Stranger' })
      for (const id of ['nope', '00000000-0000-4000-8000-000000000000', stranger.id]) {
        await assert.rejects(roster.mfa.startEnrolment(acme.principal, id), NotFoundError)
        await assert.rejects(roster.mfa.confirm(acme.principal, id, { code: '123456' }), NotFoundError)
        await assert.rejects(roster.mfa.verify(acme.principal, id, { code: '123456' }), NotFoundError)
        await assert.rejects(roster.mfa.status(acme.principal, id), NotFoundError)
        await assert.rejects(roster.mfa.reset(acme.principal, id), NotFoundError)
      }
      assert.equal((await roster.mfa.status(acme.principal, ada.id.toUpperCase())).state, 'none')
    })

    it('needs manage_users; the bootstrap key is refused', async () => {
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_groups'])
      const target = await roster.users.create(roster.principals.tenant(narrow.tenantId), { name: 'T' })
      for (const [principal, expected] of [[narrow.principal, ForbiddenError], [roster.principals.bootstrap(), BootstrapKeyError]] as const) {
        await assert.rejects(roster.mfa.startEnrolment(principal, target.id), expected)
        await assert.rejects(roster.mfa.confirm(principal, target.id, { code: '123456' }), expected)
        await assert.rejects(roster.mfa.verify(principal, target.id, { code: '123456' }), expected)
        await assert.rejects(roster.mfa.status(principal, target.id), expected)
        await assert.rejects(roster.mfa.reset(principal, target.id), expected)
      }
    })

    it('deleting the user deletes its MFA with it', async () => {
      await enrol()
      await roster.users.delete(acme.principal, ada.id)
      await assert.rejects(roster.mfa.status(acme.principal, ada.id), NotFoundError)
    })
  })
}
