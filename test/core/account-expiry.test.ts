import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { UnauthenticatedError, type Account, type IssuedCredential, type Roster } from '../../src/index.js'
import { accessRefusal } from '../../src/core/users/user-policy.js'
import { settableClock, type SettableClock } from '../helpers/settable-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

describe('user policy: access refusal', () => {
  it('refuses suspended, pending and expired users (from expires_at on), in that order', () => {
    const now = '2026-03-15T10:30:00.000Z'
    assert.equal(accessRefusal({ status: 'active', expiresAt: null }, now), null)
    assert.equal(accessRefusal({ status: 'active', expiresAt: '2026-03-15T10:30:00.001Z' }, now), null)
    assert.equal(accessRefusal({ status: 'active', expiresAt: now }, now), 'account_expired')
    assert.equal(accessRefusal({ status: 'active', expiresAt: '2020-01-01T00:00:00.000Z' }, now), 'account_expired')
    assert.equal(accessRefusal({ status: 'suspended', expiresAt: '2020-01-01T00:00:00.000Z' }, now), 'user_suspended')
    assert.equal(accessRefusal({ status: 'pending', expiresAt: null }, now), 'user_pending')
  })
})

for (const backend of STORES) {
  describe(`${backend.name}: account expiry is honoured everywhere`, () => {
    let roster: Roster
    let clock: SettableClock
    let acme: TestTenant
    let account: Account
    let credential: IssuedCredential
    const PASSWORD = 'correct horse battery'

    beforeEach(async () => {
      clock = settableClock('2026-03-15T10:30:00.000Z')
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      account = await roster.accounts.create(acme.principal, { email: 'ann@acme.com', password: PASSWORD, expiresAt: '2026-04-01T00:00:00Z' })
      credential = await roster.credentials.create(acme.principal, account.userId, { name: 'laptop' })
    })
    afterEach(() => roster.close())

    /** Every way the account's user gets in, as seen at the clock's current time. */
    async function ways() {
      const verified = await roster.credentials.verify(credential.secret)
      const signedIn = await roster.passwords.verify(acme.tenantId, 'ann@acme.com', PASSWORD)
      const me = await roster.authenticate(credential.secret).then((p) => roster.accounts.me(p), (e: unknown) => e)
      return { verified: verified.valid ? 'valid' : verified.reason, password: signedIn?.id ?? null, me: me instanceof UnauthenticatedError ? 'refused' : 'ok' }
    }

    it('before expires_at every way in works; from it on, none does; moving it later restores them', async () => {
      assert.deepEqual(await ways(), { verified: 'valid', password: account.id, me: 'ok' })
      clock.set('2026-03-31T23:59:59.999Z')
      assert.deepEqual(await ways(), { verified: 'valid', password: account.id, me: 'ok' })
      clock.set('2026-04-01T00:00:00.000Z')
      assert.deepEqual(await ways(), { verified: 'account_expired', password: null, me: 'refused' })
      assert.equal((await roster.accounts.get(acme.principal, account.id)).account.expiresAt, '2026-04-01T00:00:00.000Z')
      await roster.accounts.update(acme.principal, account.id, { expiresAt: '2026-05-01T00:00:00Z' })
      assert.deepEqual(await ways(), { verified: 'valid', password: account.id, me: 'ok' })
      await roster.accounts.update(acme.principal, account.id, { expiresAt: null })
      clock.set('2030-01-01T00:00:00.000Z')
      assert.deepEqual(await ways(), { verified: 'valid', password: account.id, me: 'ok' })
    })

    it('an expired account meters nothing, and a suspended one answers its status first', async () => {
      clock.set('2026-04-02T00:00:00.000Z')
      await roster.credentials.verify(credential.secret)
      const usage = await roster.usage.forUser(acme.principal, account.userId, { from: '2026-01-01', to: '2026-12-31' })
      assert.deepEqual(usage.totals, { requests: 0, units: 0 })
      await roster.users.suspend(acme.principal, account.userId)
      assert.deepEqual(await ways(), { verified: 'user_suspended', password: null, me: 'refused' })
      await roster.users.reactivate(acme.principal, account.userId)
      assert.deepEqual(await ways(), { verified: 'account_expired', password: null, me: 'refused' })
    })
  })
}
