import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError, type Roster } from '../../src/index.js'
import type { UserId } from '../../src/core/ids.js'
import type { Principal, UserPrincipal } from '../../src/core/principal.js'
import { hashSecret } from '../../src/core/secrets.js'
import { settableClock, type SettableClock } from '../helpers/settable-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const invalid = (field: string, message: string | RegExp) => (error: unknown) => {
  assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`)
  assert.equal(error.field, field)
  if (typeof message === 'string') assert.equal(error.message, message)
  else assert.match(error.message, message)
  return true
}
const notFound = (message: string) => (error: unknown) => error instanceof NotFoundError && error.message === message
const SECRET = /^rsk_live_[0-9A-Za-z]{40}$/

for (const backend of STORES) {
  describe(`${backend.name}: credentials service`, () => {
    let roster: Roster
    let clock: SettableClock
    let acme: TestTenant
    let beta: TestTenant
    let userId: string

    beforeEach(async () => {
      clock = settableClock()
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      beta = await createTestTenant(roster, 'Beta')
      userId = (await roster.users.create(acme.principal, { name: 'Customer' })).id
    })
    afterEach(() => roster.close())

    it('issues a prefixed secret once, keeping only its hash and a short visible prefix', async () => {
      const issued = await roster.credentials.create(acme.principal, userId, { name: 'Production' })
      assert.match(issued.secret, SECRET)
      assert.equal(issued.prefix, issued.secret.slice(0, 13))
      assert.deepEqual(
        { ...issued, secret: undefined, id: undefined },
        { id: undefined, secret: undefined, tenantId: acme.tenantId, userId, name: 'Production', prefix: issued.prefix,
          createdAt: clock.now(), lastUsedAt: null, expiresAt: null, revokedAt: null },
      )
      const [listed] = await roster.credentials.list(acme.principal, userId)
      assert.equal(listed!.id, issued.id)
      assert.equal('secret' in listed!, false)
      assert.equal(JSON.stringify(listed).includes(issued.secret.slice(13)), false)
      // The secret verifies, and nothing but its hash could have matched it.
      assert.equal((await roster.credentials.verify(issued.secret)).valid, true)
      assert.notEqual(hashSecret(issued.secret), hashSecret(issued.secret.slice(0, -1)))
      assert.equal((await roster.credentials.verify(issued.secret.slice(0, -1))).valid, false)
    })

    it('issues a fresh secret every time, even for the same name', async () => {
      const secrets = new Set<string>()
      for (let i = 0; i < 20; i++) secrets.add((await roster.credentials.create(acme.principal, userId, { name: 'Same' })).secret)
      assert.equal(secrets.size, 20)
    })

    it('stores expires_at normalised to UTC and refuses one that is not in the future', async () => {
      const issued = await roster.credentials.create(acme.principal, userId, { name: 'Expiring', expiresAt: '2026-04-01T12:00:00+02:00' })
      assert.equal(issued.expiresAt, '2026-04-01T10:00:00.000Z')
      const dateOnly = await roster.credentials.create(acme.principal, userId, { name: 'Date', expiresAt: '2027-01-01' })
      assert.equal(dateOnly.expiresAt, '2027-01-01T00:00:00.000Z')
      const none = await roster.credentials.create(acme.principal, userId, { name: 'Null', expiresAt: null })
      assert.equal(none.expiresAt, null)
      await assert.rejects(roster.credentials.create(acme.principal, userId, { name: 'Past', expiresAt: clock.now() }),
        invalid('expiresAt', 'expiresAt must be in the future'))
    })

    it('refuses bad input naming the field, and writes nothing', async () => {
      const cases: [unknown, string, string | RegExp][] = [
        [{}, 'name', 'name is required and must be a non-empty string'],
        [{ name: '   ' }, 'name', 'name is required and must be a non-empty string'],
        [{ name: 42 }, 'name', 'name is required and must be a non-empty string'],
        [{ name: 'x'.repeat(256) }, 'name', 'name must be at most 255 characters'],
        [{ name: 'A', expiresAt: 'tomorrow' }, 'expiresAt', /^expiresAt must be an ISO 8601 date-time/],
        [{ name: 'A', expiresAt: '2026-02-30T00:00:00Z' }, 'expiresAt', /^expiresAt must be an ISO 8601 date-time/],
        [{ name: 'A', expiresAt: 1767225600000 }, 'expiresAt', /^expiresAt must be an ISO 8601 date-time/],
        [{ name: 'A', scope: 'all' }, 'scope', 'Unknown field: scope'],
      ]
      for (const [input, field, message] of cases) {
        await assert.rejects(roster.credentials.create(acme.principal, userId, input as never), invalid(field, message), JSON.stringify(input))
      }
      assert.deepEqual(await roster.credentials.list(acme.principal, userId), [])
    })

    it('lists a user’s credentials newest first, revoked ones included', async () => {
      const first = await roster.credentials.create(acme.principal, userId, { name: 'First' })
      clock.advanceMs(1000)
      const second = await roster.credentials.create(acme.principal, userId, { name: 'Second' })
      clock.advanceMs(1000)
      await roster.credentials.revoke(acme.principal, first.id)
      const other = (await roster.users.create(acme.principal, { name: 'Other' })).id
      await roster.credentials.create(acme.principal, other, { name: 'Not theirs' })
      const listed = await roster.credentials.list(acme.principal, userId)
      assert.deepEqual(listed.map((c) => [c.name, c.revokedAt]), [['Second', null], ['First', clock.now()]])
      assert.equal(listed[0]!.id, second.id)
    })

    it('revokes once: revoking again keeps the first revocation time', async () => {
      const issued = await roster.credentials.create(acme.principal, userId, { name: 'Key' })
      const revoked = await roster.credentials.revoke(acme.principal, issued.id)
      assert.equal(revoked.revokedAt, clock.now())
      clock.advanceMs(60_000)
      assert.deepEqual(await roster.credentials.revoke(acme.principal, issued.id), revoked)
    })

    it('answers NotFoundError for unknown, malformed and other tenants’ ids', async () => {
      const issued = await roster.credentials.create(acme.principal, userId, { name: 'Key' })
      const betaUser = (await roster.users.create(beta.principal, { name: 'Beta user' })).id
      for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', betaUser]) {
        await assert.rejects(roster.credentials.create(acme.principal, id, { name: 'K' }), notFound('User not found'))
        await assert.rejects(roster.credentials.list(acme.principal, id), notFound('User not found'))
      }
      for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
        await assert.rejects(roster.credentials.revoke(acme.principal, id), notFound('Credential not found'))
      }
      await assert.rejects(roster.credentials.revoke(beta.principal, issued.id), notFound('Credential not found'))
      await assert.rejects(roster.credentials.list(beta.principal, userId), notFound('User not found'))
      assert.equal((await roster.credentials.verify(issued.secret)).valid, true)
    })

    it('needs manage_credentials: 403 wording for a narrow key, the bootstrap key and user principals refused', async () => {
      const issued = await roster.credentials.create(acme.principal, userId, { name: 'Key' })
      const narrow = await createTestTenant(roster, 'Narrow', ['manage_users', 'record_usage'])
      const asUser: UserPrincipal = { kind: 'user', tenantId: acme.principal.tenantId, userId: userId as UserId, credentialId: issued.id }
      const calls = (principal: Principal) => [
        () => roster.credentials.create(principal, userId, { name: 'X' }),
        () => roster.credentials.list(principal, userId),
        () => roster.credentials.revoke(principal, issued.id),
      ]
      for (const call of calls(narrow.principal)) {
        await assert.rejects(call(), (e) => e instanceof ForbiddenError && e.message === 'Permission denied: manage_credentials required')
      }
      for (const call of calls(roster.principals.bootstrap())) {
        await assert.rejects(call(), (e) => e instanceof BootstrapKeyError && e.message === 'Bootstrap key cannot manage credentials. Create an admin key first.')
      }
      for (const call of calls(asUser)) await assert.rejects(call(), UnauthenticatedError)
      assert.equal((await roster.credentials.list(acme.principal, userId))[0]!.revokedAt, null)
    })
  })
}
