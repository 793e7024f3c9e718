import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ForbiddenError, UnauthenticatedError, ValidationError, type AdminPrincipal, type IssuedCredential, type Roster, type User } from '../../src/index.js'
import { settableClock, type SettableClock } from '../helpers/settable-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const invalid = (field: string, message: string) => (error: unknown) =>
  error instanceof ValidationError && error.field === field && error.message === message

for (const backend of STORES) {
  describe(`${backend.name}: credential verification`, () => {
    let roster: Roster
    let clock: SettableClock
    let acme: TestTenant
    let beta: TestTenant
    let user: User
    let key: IssuedCredential

    const requests = async (tenant: TestTenant = acme) => (await roster.usage.summary(tenant.principal, { from: '2026-01-01', to: '2027-12-31' })).totals

    beforeEach(async () => {
      clock = settableClock()
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      beta = await createTestTenant(roster, 'Beta')
      user = await roster.users.create(acme.principal, { name: 'Customer', externalId: 'cust_1' })
      key = await roster.credentials.create(acme.principal, user.id, { name: 'Production', expiresAt: '2026-06-01T00:00:00Z' })
    })
    afterEach(() => roster.close())

    it('answers valid with the user, the credential and the tenant, and records one request and one unit', async () => {
      const result = await roster.credentials.verify(key.secret)
      assert.ok(result.valid)
      assert.deepEqual(result.user, user)
      assert.deepEqual(result.tenant, { id: acme.tenantId, name: 'Acme', ownerUserId: null, createdAt: result.tenant.createdAt })
      const { secret: _secret, ...stored } = key
      assert.deepEqual(result.credential, { ...stored, lastUsedAt: clock.now() })
      assert.deepEqual(await requests(), { requests: 1, units: 1 })
      clock.advanceMs(5000)
      await roster.credentials.verify(key.secret, { units: 7 })
      await roster.credentials.verify(key.secret, { units: 0 })
      assert.deepEqual(await requests(), { requests: 3, units: 8 })
      const [listed] = await roster.credentials.list(acme.principal, user.id)
      assert.equal(listed!.lastUsedAt, clock.now())
    })

    it('answers not_found for unknown, malformed and near-miss secrets, recording nothing', async () => {
      for (const secret of ['', 'rsk_live_unknown', key.secret.slice(0, -1), `${key.secret}x`, key.secret.toUpperCase(), acme.key, 'x'.repeat(10_000), 42]) {
        assert.deepEqual(await roster.credentials.verify(secret as string), { valid: false, reason: 'not_found' }, String(secret).slice(0, 20))
      }
      assert.deepEqual(await requests(), { requests: 0, units: 0 })
    })

    it('answers revoked for a revoked credential, for good', async () => {
      await roster.credentials.revoke(acme.principal, key.id)
      assert.deepEqual(await roster.credentials.verify(key.secret), { valid: false, reason: 'revoked' })
      await roster.users.suspend(acme.principal, user.id)
      await roster.users.reactivate(acme.principal, user.id)
      assert.deepEqual(await roster.credentials.verify(key.secret), { valid: false, reason: 'revoked' })
      assert.deepEqual(await requests(), { requests: 0, units: 0 })
    })

    it('answers expired from the expiry instant on, and never valid again', async () => {
      clock.set('2026-05-31T23:59:59.999Z')
      assert.equal((await roster.credentials.verify(key.secret)).valid, true)
      clock.set('2026-06-01T00:00:00.000Z')
      assert.deepEqual(await roster.credentials.verify(key.secret), { valid: false, reason: 'expired' })
      clock.set('2027-01-01T00:00:00.000Z')
      assert.deepEqual(await roster.credentials.verify(key.secret), { valid: false, reason: 'expired' })
      assert.deepEqual(await requests(), { requests: 1, units: 1 })
    })

    it('suspending a user stops all its credentials at once; reactivating restores them', async () => {
      const second = await roster.credentials.create(acme.principal, user.id, { name: 'Second' })
      await roster.users.suspend(acme.principal, user.id, { reason: 'unpaid' })
      for (const secret of [key.secret, second.secret]) {
        assert.deepEqual(await roster.credentials.verify(secret), { valid: false, reason: 'user_suspended' })
      }
      await roster.users.reactivate(acme.principal, user.id)
      for (const secret of [key.secret, second.secret]) assert.equal((await roster.credentials.verify(secret)).valid, true)
      assert.deepEqual(await requests(), { requests: 2, units: 2 })
    })

    it('answers user_pending until a pending user is activated', async () => {
      const pending = await roster.users.create(acme.principal, { name: 'Pending', status: 'pending' })
      const issued = await roster.credentials.create(acme.principal, pending.id, { name: 'Early' })
      assert.deepEqual(await roster.credentials.verify(issued.secret), { valid: false, reason: 'user_pending' })
      await roster.users.reactivate(acme.principal, pending.id)
      assert.equal((await roster.credentials.verify(issued.secret)).valid, true)
    })

    it('revokes a deleted user’s credentials in the same transaction; its recorded usage stays in the summary', async () => {
      await roster.credentials.verify(key.secret, { units: 3 })
      await roster.users.delete(acme.principal, user.id)
      assert.deepEqual(await roster.credentials.verify(key.secret), { valid: false, reason: 'revoked' })
      const summary = await roster.usage.summary(acme.principal, {})
      assert.deepEqual(summary.totals, { requests: 1, units: 3 })
      assert.deepEqual(summary.users.map((u) => [u.userId, u.user, u.requests]), [[user.id, null, 1]])
    })

    it('with tenantId accepts only that tenant’s credentials: another tenant’s is not_found', async () => {
      assert.deepEqual(await roster.credentials.verify(key.secret, { tenantId: beta.tenantId }), { valid: false, reason: 'not_found' })
      assert.equal((await roster.credentials.verify(key.secret, { tenantId: acme.tenantId })).valid, true)
      await roster.credentials.revoke(acme.principal, key.id)
      // Even the reason is hidden from another tenant.
      assert.deepEqual(await roster.credentials.verify(key.secret, { tenantId: beta.tenantId }), { valid: false, reason: 'not_found' })
      assert.deepEqual(await requests(), { requests: 1, units: 1 })
    })

    it('refuses bad options naming the field', async () => {
      for (const units of [-1, 1.5, 1_000_001, '3', null]) {
        await assert.rejects(roster.credentials.verify(key.secret, { units: units as number }), invalid('units', 'units must be an integer from 0 to 1000000'))
      }
      await assert.rejects(roster.credentials.verify(key.secret, { cost: 1 } as never), invalid('cost', 'Unknown field: cost'))
      assert.deepEqual(await requests(), { requests: 0, units: 0 })
    })

    it('verifyAs needs record_usage and scopes to the admin key’s tenant', async () => {
      const result = await roster.credentials.verifyAs(acme.principal, key.secret, { units: 2 })
      assert.equal(result.valid, true)
      assert.deepEqual(await roster.credentials.verifyAs(beta.principal, key.secret), { valid: false, reason: 'not_found' })
      await assert.rejects(roster.credentials.verifyAs(acme.principal, key.secret, { tenantId: beta.tenantId } as never), invalid('tenantId', 'Unknown field: tenantId'))
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_credentials'])
      await assert.rejects(roster.credentials.verifyAs(narrow.principal, key.secret), (e) => e instanceof ForbiddenError && e.message === 'Permission denied: record_usage required')
      await assert.rejects(roster.credentials.verifyAs(roster.principals.bootstrap(), key.secret), BootstrapKeyError)
      assert.deepEqual(await requests(), { requests: 1, units: 2 })
    })

    it('verifyAs gives a key without manage_users only the user’s id, external id, status and billing plan', async () => {
      const recorder = (await roster.authenticate((await roster.keys.create(acme.principal, { permissions: ['record_usage'] })).secret)) as AdminPrincipal
      const limited = await roster.credentials.verifyAs(recorder, key.secret)
      assert.ok(limited.valid)
      assert.deepEqual(limited.user, { id: user.id, externalId: 'cust_1', status: 'active', billingPlan: null })
      const both = (await roster.authenticate((await roster.keys.create(acme.principal, { permissions: ['record_usage', 'manage_users'] })).secret)) as AdminPrincipal
      const full = await roster.credentials.verifyAs(both, key.secret)
      assert.ok(full.valid)
      assert.deepEqual(full.user, user)
      assert.deepEqual(await requests(), { requests: 2, units: 2 })
    })

    it('a live credential authenticates as its user, without metering; admin operations refuse it', async () => {
      const principal = await roster.authenticate(key.secret)
      assert.deepEqual(principal, { kind: 'user', tenantId: acme.tenantId, userId: user.id, credentialId: key.id })
      await assert.rejects(roster.users.list(principal), UnauthenticatedError)
      await assert.rejects(roster.credentials.list(principal, user.id), UnauthenticatedError)
      await assert.rejects(roster.credentials.verifyAs(principal, key.secret), UnauthenticatedError)
      assert.deepEqual(await requests(), { requests: 0, units: 0 })
    })

    it('a credential that would not verify does not authenticate', async () => {
      const refuse = (secret: string) => assert.rejects(roster.authenticate(secret), (e) => e instanceof UnauthenticatedError && e.message === 'Invalid or revoked API key')
      const pending = await roster.users.create(acme.principal, { name: 'Pending', status: 'pending' })
      await refuse((await roster.credentials.create(acme.principal, pending.id, { name: 'P' })).secret)
      await roster.users.suspend(acme.principal, user.id)
      await refuse(key.secret)
      await roster.users.reactivate(acme.principal, user.id)
      assert.equal((await roster.authenticate(key.secret)).kind, 'user')
      clock.set('2026-06-01T00:00:00Z')
      await refuse(key.secret)
      const later = await roster.credentials.create(acme.principal, user.id, { name: 'Later' })
      await roster.credentials.revoke(acme.principal, later.id)
      await refuse(later.secret)
      const doomed = await roster.credentials.create(acme.principal, user.id, { name: 'Doomed' })
      await roster.users.delete(acme.principal, user.id)
      await refuse(doomed.secret)
      await refuse('rsk_live_0000000000000000000000000000000000000000')
    })
  })
}
