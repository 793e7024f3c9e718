import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { ForbiddenError, type AdminPrincipal, type Roster, type User } from '../../src/index.js'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { manualClock, type ManualClock } from '../helpers/manual-clock.js'
import { openTestRoster } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const forbidden = (what: string) => (error: unknown) =>
  error instanceof ForbiddenError && error.message === `The account owner's ${what} cannot be changed with an admin key`

for (const backend of STORES) {
  describe(`${backend.name}: one owner policy for every service`, () => {
    let roster: Roster
    let clock: ManualClock
    let key: AdminPrincipal
    let host: AdminPrincipal
    let owner: User
    let tenantId: string

    beforeEach(async () => {
      clock = manualClock()
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      const created = await roster.tenants.create(roster.principals.bootstrap(), {
        entityName: 'Acme', owner: { email: 'olive@acme.com', firstName: 'Olive', lastName: 'Owner' },
      })
      tenantId = created.tenant.id
      key = (await roster.authenticate(created.key.secret)) as AdminPrincipal
      host = roster.principals.tenant(tenantId)
      owner = created.owner!
    })
    afterEach(() => roster.close())

    /** Every change of the owner's sign-in an admin key might try, on every service, with what it names. */
    const attempts = (p: AdminPrincipal, number: number) => [
      ['email', () => roster.users.update(p, owner.id, { email: 'mallory@evil.test' })],
      ['status', () => roster.users.suspend(p, owner.id, { reason: 'takeover' })],
      ['email', () => roster.accounts.update(p, number, { email: 'mallory@evil.test' })],
      ['email', () => roster.accounts.update(p, number, { person: { email: 'mallory@evil.test' } })],
      ['password', () => roster.accounts.update(p, number, { password: 'mallory was here' })],
      ['status', () => roster.accounts.update(p, number, { enabled: false })],
      ['expiry', () => roster.accounts.update(p, number, { expiresAt: '2026-01-01T00:00:00Z' })],
      ['password', () => roster.passwords.set(p, number, 'mallory was here')],
      ['password', () => roster.passwords.clear(p, number)],
      ['password', () => roster.passwords.issueResetToken(p, number)],
      ['MFA', () => roster.mfa.startEnrolment(p, owner.id)],
      ['MFA', () => roster.mfa.reset(p, owner.id)],
      ['credentials', () => roster.credentials.create(p, owner.id, { name: 'backdoor' })],
    ] as const

    it('an admin key changes none of the owner’s email, password, status, expiry, MFA or credentials', async () => {
      const number = owner.number
      const before = await roster.accounts.get(host, number)
      for (const [what, attempt] of attempts(key, number)) await assert.rejects(attempt(), forbidden(what), what)
      assert.deepEqual(await roster.accounts.get(host, number), before)
      assert.deepEqual(await roster.users.get(host, owner.id), owner)
      assert.deepEqual(await roster.credentials.list(host, owner.id), [])
      assert.equal((await roster.mfa.status(host, owner.id)).state, 'none')
    })

    it('other changes to the owner, and anything unchanged, are fine for an admin key', async () => {
      const renamed = await roster.users.update(key, owner.id, { name: 'Olive O.', email: 'olive@acme.com', metadata: { vip: true } })
      assert.deepEqual([renamed.name, renamed.email, renamed.metadata], ['Olive O.', 'olive@acme.com', { vip: true }])
      await roster.accounts.update(key, owner.number, { email: 'olive@acme.com', enabled: true, expiresAt: null, person: { firstName: 'Liv' } })
      assert.equal((await roster.users.reactivate(key, owner.id)).status, 'active')
    })

    it('the host (a trusted principal) may change all of it, and the owner policy then still holds', async () => {
      for (const [what, attempt] of attempts(host, owner.number)) {
        if (what === 'MFA') continue
        await attempt()
      }
      await roster.users.reactivate(host, owner.id)
      const { secret } = await roster.mfa.startEnrolment(host, owner.id)
      await roster.mfa.confirm(host, owner.id, { code: hotp(base32Decode(secret)!, totpStep(clock.seconds())) })
      await assert.rejects(roster.mfa.reset(key, owner.id), forbidden('MFA'))
      await roster.mfa.reset(host, owner.id)
      assert.equal((await roster.users.get(host, owner.id)).email, 'mallory@evil.test')
    })

    it('after a transfer the old owner is an ordinary user and the new one is protected', async () => {
      const heir = await roster.users.create(key, { name: 'Heir', email: 'heir@acme.com' })
      await roster.tenants.transferOwnership(host, heir.id)
      await roster.users.update(key, owner.id, { email: 'former@acme.com' })
      await roster.passwords.set(key, owner.number, 'a fresh password')
      await assert.rejects(roster.users.update(key, heir.id, { email: 'x@acme.com' }), forbidden('email'))
      await assert.rejects(roster.users.delete(key, heir.id), (e) => e instanceof ForbiddenError && e.message === 'The account owner cannot be deleted')
      await roster.users.delete(key, owner.id)
    })
  })
}
