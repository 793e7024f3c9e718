import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ForbiddenError, NotFoundError, ValidationError, type Roster, type User } from '../../src/index.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { settableClock, type SettableClock } from '../helpers/settable-clock.js'
import { STORES } from '../helpers/stores.js'

const MARCH = { from: '2026-03-01', to: '2026-03-31' }

for (const backend of STORES) {
  describe(`${backend.name}: usage reports`, () => {
    let roster: Roster
    let clock: SettableClock
    let acme: TestTenant
    let beta: TestTenant
    let ada: User
    let bob: User

    /** Verifies `secret` `times` times at `at`, each with `units`. */
    async function use(secret: string, at: string, times = 1, units = 1) {
      clock.set(at)
      for (let i = 0; i < times; i++) assert.equal((await roster.credentials.verify(secret, { units })).valid, true)
    }

    beforeEach(async () => {
      clock = settableClock('2026-03-01T00:00:00.000Z')
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      beta = await createTestTenant(roster, 'Beta')
      ada = await roster.users.create(acme.principal, { name: 'Ada', externalId: 'ada', email: 'ada@acme.test' })
      bob = await roster.users.create(acme.principal, { name: 'Bob' })
    })
    afterEach(() => roster.close())

    it('reports one user’s totals, every credential (revoked and unused too) and a daily series', async () => {
      const live = await roster.credentials.create(acme.principal, ada.id, { name: 'Live' })
      const old = await roster.credentials.create(acme.principal, ada.id, { name: 'Old' })
      const unused = await roster.credentials.create(acme.principal, ada.id, { name: 'Unused' })
      await use(live.secret, '2026-03-02T09:15:00Z', 3, 2)
      await use(live.secret, '2026-03-02T23:59:59Z')
      await use(old.secret, '2026-03-03T00:00:00Z', 2, 5)
      await roster.credentials.revoke(acme.principal, old.id)
      await use(live.secret, '2026-04-01T00:00:00Z')
      const report = await roster.usage.forUser(acme.principal, ada.id, MARCH)
      assert.deepEqual(report.period, { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' })
      assert.deepEqual(report.totals, { requests: 6, units: 17 })
      const byName = Object.fromEntries(report.credentials.map((c) => [c.name, [c.requests, c.units, c.revokedAt !== null]]))
      assert.deepEqual(byName, { Live: [4, 7, false], Old: [2, 10, true], Unused: [0, 0, false] })
      assert.deepEqual(report.credentials.map((c) => c.credentialId).sort(), [live.id, old.id, unused.id].sort())
      assert.deepEqual(report.daily, [
        { date: '2026-03-02', requests: 4, units: 7 },
        { date: '2026-03-03', requests: 2, units: 10 },
      ])
      // The default period is the current UTC month: the clock now stands in April.
      assert.deepEqual((await roster.usage.forUser(acme.principal, ada.id)).totals, { requests: 1, units: 1 })
    })

    it('counts a period by whole UTC hours, so an hour is in or out as a whole', async () => {
      const key = await roster.credentials.create(acme.principal, ada.id, { name: 'Key' })
      await use(key.secret, '2026-03-10T10:05:00Z')
      await use(key.secret, '2026-03-10T10:55:00Z')
      await use(key.secret, '2026-03-10T11:00:00Z')
      const totals = async (from: string, to: string) => (await roster.usage.forUser(acme.principal, ada.id, { from, to })).totals.requests
      assert.equal(await totals('2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z'), 2)
      assert.equal(await totals('2026-03-10T10:30:00Z', '2026-03-10T10:31:00Z'), 2)
      assert.equal(await totals('2026-03-10T11:00:00Z', '2026-03-10T12:00:00Z'), 1)
      assert.equal(await totals('2026-03-10', '2026-03-10'), 3)
      assert.equal(await totals('2026-03-11', '2026-03-31'), 0)
    })

    it('summarises the tenant: totals and users by requests, paged, other tenants never included', async () => {
      const adaKey = await roster.credentials.create(acme.principal, ada.id, { name: 'A' })
      const bobKey = await roster.credentials.create(acme.principal, bob.id, { name: 'B' })
      const carol = await roster.users.create(acme.principal, { name: 'Carol' })
      const carolKey = await roster.credentials.create(acme.principal, carol.id, { name: 'C' })
      const betaUser = await roster.users.create(beta.principal, { name: 'Beta user' })
      const betaKey = await roster.credentials.create(beta.principal, betaUser.id, { name: 'Z' })
      await use(adaKey.secret, '2026-03-05T10:00:00Z', 2)
      await use(bobKey.secret, '2026-03-06T10:00:00Z', 5, 3)
      await use(carolKey.secret, '2026-03-07T10:00:00Z', 2, 4)
      await use(betaKey.secret, '2026-03-07T10:00:00Z', 9)
      const summary = await roster.usage.summary(acme.principal, MARCH)
      assert.deepEqual(summary.totals, { requests: 9, units: 25 })
      // Equal request counts are ordered by user id, so pages never overlap.
      const tied = [ada, carol].sort((a, b) => (a.id < b.id ? -1 : 1))
      assert.deepEqual(summary.users.map((u) => [u.userId, u.requests, u.units, u.user?.name]), [
        [bob.id, 5, 15, 'Bob'], ...tied.map((u) => [u.id, 2, u.id === ada.id ? 2 : 8, u.name]),
      ])
      assert.deepEqual([summary.total, summary.limit, summary.offset], [3, 50, 0])
      const page = await roster.usage.summary(acme.principal, { ...MARCH, limit: 1, offset: 1 })
      assert.deepEqual([page.users.map((u) => u.userId), page.total, page.totals], [[tied[0]!.id], 3, { requests: 9, units: 25 }])
      assert.deepEqual((await roster.usage.summary(acme.principal, { ...MARCH, offset: 3 })).users, [])
      assert.deepEqual((await roster.usage.summary(beta.principal, MARCH)).totals, { requests: 9, units: 9 })
      assert.deepEqual((await roster.usage.summary(acme.principal, { from: '2026-02-01', to: '2026-02-28' })).totals, { requests: 0, units: 0 })
    })

    it('refuses bad periods and paging naming the parameter', async () => {
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ from: 'soon' }, 'from', /^from must be an ISO 8601 date/],
        [{ to: '2026-02-30' }, 'to', /^to must be an ISO 8601 date/],
        [{ from: '2026-03-02', to: '2026-03-01' }, 'from', /^from must not be after to$/],
        [{ limit: 0 }, 'limit', /^limit must be an integer from 1 to 1000$/],
        [{ limit: 1001 }, 'limit', /^limit must be an integer from 1 to 1000$/],
        [{ limit: '10' }, 'limit', /^limit must be an integer from 1 to 1000$/],
        [{ offset: -1 }, 'offset', /^offset must be an integer from 0/],
        [{ sort: 'units' }, 'sort', /^Unknown field: sort$/],
      ]
      const refused = (field: string, message: RegExp) => (e: unknown) => e instanceof ValidationError && e.field === field && message.test(e.message)
      for (const [input, field, message] of cases) {
        await assert.rejects(roster.usage.summary(acme.principal, input as never), refused(field, message), JSON.stringify(input))
        if (field === 'from' || field === 'to') await assert.rejects(roster.usage.forUser(acme.principal, ada.id, input as never), refused(field, message))
      }
      await assert.rejects(roster.usage.forUser(acme.principal, ada.id, { limit: 5 } as never), refused('limit', /^Unknown field: limit$/))
    })

    it('needs manage_users, and answers NotFoundError for unknown, malformed and other tenants’ users', async () => {
      for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
        await assert.rejects(roster.usage.forUser(acme.principal, id), (e) => e instanceof NotFoundError && e.message === 'User not found')
      }
      await assert.rejects(roster.usage.forUser(beta.principal, ada.id), NotFoundError)
      const narrow = await createTestTenant(roster, 'Narrow', ['record_usage', 'manage_credentials'])
      const denied = (e: unknown) => e instanceof ForbiddenError && e.message === 'Permission denied: manage_users required'
      await assert.rejects(roster.usage.summary(narrow.principal), denied)
      await assert.rejects(roster.usage.forUser(narrow.principal, ada.id), denied)
      await assert.rejects(roster.usage.summary(roster.principals.bootstrap()), BootstrapKeyError)
    })
  })
}
