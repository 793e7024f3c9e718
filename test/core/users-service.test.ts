import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError, type Roster } from '../../src/index.js'
import type { UserId } from '../../src/core/ids.js'
import type { Principal, UserPrincipal } from '../../src/core/principal.js'
import { steppingClock } from '../helpers/clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const NAME_MESSAGE = 'Name is required and must be a non-empty string'
const invalid = (field: string, message?: string | RegExp) => (error: unknown) => {
  assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`)
  assert.equal(error.field, field)
  if (typeof message === 'string') assert.equal(error.message, message)
  if (message instanceof RegExp) assert.match(error.message, message)
  return true
}
const conflict = (field: string) => (error: unknown) => error instanceof ConflictError && error.field === field

for (const backend of STORES) {
  describe(`${backend.name}: users service`, () => {
    let roster: Roster
    let clock: ReturnType<typeof steppingClock>
    let acme: TestTenant
    let beta: TestTenant

    beforeEach(async () => {
      clock = steppingClock()
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      beta = await createTestTenant(roster, 'Beta')
    })
    afterEach(() => roster.close())

    /** Every call of the service, made by `principal` on a real user of Acme. */
    let targets = 0
    async function everyCall(principal: Principal) {
      const externalId = `target-${++targets}`
      const user = await roster.users.create(acme.principal, { name: 'Target', externalId })
      return [
        () => roster.users.create(principal, { name: 'X' }),
        () => roster.users.get(principal, user.id),
        () => roster.users.getByExternalId(principal, externalId),
        () => roster.users.list(principal, {}),
        () => roster.users.update(principal, user.id, { name: 'Y' }),
        () => roster.users.suspend(principal, user.id, {}),
        () => roster.users.reactivate(principal, user.id),
        () => roster.users.delete(principal, user.id),
      ]
    }

    it('refuses every call without manage_users with the seed’s 403 text', async () => {
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_keys', 'record_usage'])
      for (const call of await everyCall(narrow.principal)) {
        await assert.rejects(call(), (e) => e instanceof ForbiddenError && e.message === 'Permission denied: manage_users required')
      }
    })

    it('refuses the bootstrap key with the seed’s text, and a user principal as unauthenticated', async () => {
      const asUser: UserPrincipal = { kind: 'user', tenantId: acme.principal.tenantId, userId: 'u' as UserId, credentialId: 'c' }
      for (const call of await everyCall(roster.principals.bootstrap())) {
        await assert.rejects(call(), (e) => e instanceof BootstrapKeyError && e.message === 'Bootstrap key cannot manage users. Create an admin key first.')
      }
      for (const call of await everyCall(asUser)) await assert.rejects(call(), UnauthenticatedError)
      assert.equal((await roster.users.list(acme.principal)).total, 2)
    })

    it('creates a user with defaults, the creating key and the tenant name', async () => {
      const user = await roster.users.create(acme.principal, { name: '  Acme Corp  ', email: 'api@acme.com' })
      assert.deepEqual(
        { ...user, id: undefined },
        { id: undefined, tenantId: acme.tenantId, tenantName: 'Acme', number: 1, externalId: null, name: 'Acme Corp', firstName: null,
          lastName: null, email: 'api@acme.com', metadata: {}, status: 'active', suspendedReason: null, billingPlan: null,
          accountType: 'user', authType: 'none', expiresAt: null, createdAt: clock.last(), updatedAt: null, adminKeyId: acme.keyId, version: 1 },
      )
      assert.equal((await roster.users.create(acme.principal, { name: 'P', status: 'pending' })).status, 'pending')
    })

    it('lets a trusted host act for a tenant without a key', async () => {
      const trusted = roster.principals.tenant(acme.tenantId)
      const user = await roster.users.create(trusted, { name: 'Hosted', externalId: 'h1' })
      assert.equal(user.adminKeyId, null)
      assert.equal((await roster.users.getByExternalId(acme.principal, 'h1')).id, user.id)
      await assert.rejects(roster.users.get(roster.principals.tenant(beta.tenantId), user.id), NotFoundError)
    })

    it('keeps tenants apart: another tenant’s user is not found by any call', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Mine', externalId: 'm1' })
      const calls = [
        () => roster.users.get(beta.principal, user.id),
        () => roster.users.getByExternalId(beta.principal, 'm1'),
        () => roster.users.update(beta.principal, user.id, { name: 'Stolen' }),
        () => roster.users.update(beta.principal, user.id, {}),
        () => roster.users.suspend(beta.principal, user.id),
        () => roster.users.reactivate(beta.principal, user.id),
        () => roster.users.delete(beta.principal, user.id),
      ]
      for (const call of calls) await assert.rejects(call(), (e) => e instanceof NotFoundError && e.message === 'User not found')
      assert.equal((await roster.users.list(beta.principal)).total, 0)
      assert.deepEqual(await roster.users.get(acme.principal, user.id), user)
    })

    it('answers a malformed or unknown id with NotFoundError', async () => {
      for (const id of ['usage', 'not-a-uuid', '', '550e8400-e29b-41d4-a716-446655440000']) {
        await assert.rejects(roster.users.get(acme.principal, id), NotFoundError)
        await assert.rejects(roster.users.update(acme.principal, id, { name: 'N' }), NotFoundError)
      }
      await assert.rejects(roster.users.getByExternalId(acme.principal, 'nobody'), NotFoundError)
    })

    it('enforces unique email (ignoring case) and external id per tenant, not across tenants', async () => {
      const eve = await roster.users.create(acme.principal, { name: 'Eve', email: 'ÉVE@x.com', externalId: 'e1' })
      await assert.rejects(roster.users.create(acme.principal, { name: 'Eve 2', email: 'éve@X.COM' }), conflict('email'))
      await assert.rejects(roster.users.create(acme.principal, { name: 'Eve 3', externalId: 'e1' }), conflict('externalId'))
      await roster.users.create(beta.principal, { name: 'Eve', email: 'éve@x.com', externalId: 'e1' })
      const bob = await roster.users.create(acme.principal, { name: 'Bob', email: 'bob@x.com' })
      await assert.rejects(roster.users.update(acme.principal, bob.id, { email: 'éve@x.com' }), conflict('email'))
      await assert.rejects(roster.users.update(acme.principal, bob.id, { externalId: 'e1' }), conflict('externalId'))
      await roster.users.update(acme.principal, eve.id, { email: 'Eve@x.com' })
      assert.equal((await roster.users.list(acme.principal)).total, 2)
    })

    it('updates the given fields, sets updatedAt, and returns an empty update unchanged', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Old', email: 'o@x.com', metadata: { a: 1 }, billingPlan: 'free' })
      const updated = await roster.users.update(acme.principal, user.id, {
        name: 'New', email: null, externalId: 'x9', metadata: { b: 2 }, billingPlan: 'pro', firstName: 'Ada', lastName: 'L' })
      assert.deepEqual(updated, { ...user, name: 'New', email: null, externalId: 'x9', metadata: { b: 2 }, billingPlan: 'pro',
        firstName: 'Ada', lastName: 'L', updatedAt: clock.last(), version: 2 })
      assert.notEqual(updated.updatedAt, user.createdAt)
      assert.deepEqual(await roster.users.update(acme.principal, user.id, {}), updated)
    })

    it('suspends and reactivates idempotently', async () => {
      const user = await roster.users.create(acme.principal, { name: 'S' })
      const first = await roster.users.suspend(acme.principal, user.id, { reason: 'unpaid' })
      assert.deepEqual([first.status, first.suspendedReason, first.updatedAt], ['suspended', 'unpaid', clock.last()])
      const again = await roster.users.suspend(acme.principal, user.id)
      assert.deepEqual([again.status, again.suspendedReason], ['suspended', null])
      const active = await roster.users.reactivate(acme.principal, user.id)
      assert.deepEqual([active.status, active.suspendedReason, active.updatedAt], ['active', null, clock.last()])
      assert.deepEqual(await roster.users.reactivate(acme.principal, user.id), active)
      const pending = await roster.users.create(acme.principal, { name: 'P', status: 'pending' })
      assert.equal((await roster.users.reactivate(acme.principal, pending.id)).status, 'active')
    })

    it('deletes a user, but never the tenant’s owner', async () => {
      const user = await roster.users.create(acme.principal, { name: 'D' })
      await roster.users.delete(acme.principal, user.id)
      await assert.rejects(roster.users.get(acme.principal, user.id), NotFoundError)
      await assert.rejects(roster.users.delete(acme.principal, user.id), NotFoundError)
      const { owner, key } = await roster.tenants.create(roster.principals.bootstrap(), {
        entityName: 'Owned', owner: { email: 'o@x.com', firstName: 'O', lastName: 'W' } })
      const admin = await roster.authenticate(key.secret)
      await assert.rejects(roster.users.delete(admin, owner!.id), ForbiddenError)
    })
  })
}

describe('users service validation', () => {
  let roster: Roster
  let acme: TestTenant
  beforeEach(async () => {
    roster = await openTestRoster()
    acme = await createTestTenant(roster)
  })
  afterEach(() => roster.close())

  it('rejects a missing, empty, blank or non-string name with the seed’s exact text', async () => {
    for (const input of [{}, { name: '' }, { name: '   ' }, { name: 42 }, { name: null }, { name: ['a'] }]) {
      await assert.rejects(roster.users.create(acme.principal, input as never), invalid('name', NAME_MESSAGE))
    }
    const user = await roster.users.create(acme.principal, { name: 'N' })
    for (const name of ['', ' ', 7, null]) {
      await assert.rejects(roster.users.update(acme.principal, user.id, { name } as never), invalid('name', NAME_MESSAGE))
    }
  })

  it('rejects a name over 255 characters but takes exactly 255', async () => {
    await assert.rejects(roster.users.create(acme.principal, { name: 'x'.repeat(256) }), invalid('name', /255/))
    assert.equal((await roster.users.create(acme.principal, { name: 'x'.repeat(255) })).name.length, 255)
  })

  it('rejects metadata that is not an object or is over 16 KiB', async () => {
    for (const metadata of [[], 'text', 3, null, true]) {
      await assert.rejects(roster.users.create(acme.principal, { name: 'M', metadata } as never), invalid('metadata', 'metadata must be a JSON object'))
    }
    const big = { blob: 'x'.repeat(16 * 1024) }
    await assert.rejects(roster.users.create(acme.principal, { name: 'M', metadata: big }), invalid('metadata', /16384 bytes/))
    const nest = (levels: number): Record<string, unknown> => (levels === 1 ? { leaf: true } : { next: nest(levels - 1) })
    await assert.rejects(roster.users.create(acme.principal, { name: 'M', metadata: nest(33) }), invalid('metadata', 'metadata must nest at most 32 levels deep'))
    assert.deepEqual((await roster.users.create(acme.principal, { name: 'M', metadata: nest(32) })).metadata, nest(32))
    const fits = { blob: 'x'.repeat(16 * 1024 - 20) }
    assert.deepEqual((await roster.users.create(acme.principal, { name: 'M', metadata: fits })).metadata, fits)
  })

  it('rejects a bad email, unknown fields and a status other than active or pending', async () => {
    for (const email of ['not-an-email', 'a@b', 'a b@c.com', 5]) {
      await assert.rejects(roster.users.create(acme.principal, { name: 'E', email } as never), invalid('email'))
    }
    await assert.rejects(roster.users.create(acme.principal, { name: 'U', nickname: 'x' } as never), invalid('nickname', 'Unknown field: nickname'))
    await assert.rejects(roster.users.create(acme.principal, { name: 'U', status: 'suspended' } as never), invalid('status'))
    const user = await roster.users.create(acme.principal, { name: 'U' })
    await assert.rejects(roster.users.update(acme.principal, user.id, { status: 'active' } as never), invalid('status', 'Unknown field: status'))
    await assert.rejects(roster.users.suspend(acme.principal, user.id, { why: 'x' } as never), invalid('why', 'Unknown field: why'))
    await assert.rejects(roster.users.reactivate(acme.principal, user.id, { reason: 'x' } as never), invalid('reason', 'Unknown field: reason'))
    assert.equal((await roster.users.list(acme.principal)).total, 1)
  })
})
