import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { CredentialId } from '../../src/core/credentials/credential.js'
import { newId, type TenantId, type UserId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import type { UsageIncrement } from '../../src/core/usage/usage.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { addTenant, AT, newUser } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

const DAY = 24
// Hour 0 of 2026-03-01 UTC.
const MARCH = Date.parse('2026-03-01T00:00:00Z') / 3_600_000

/** UsageRepository guarantees: adding never loses or overwrites, reads are exact, scoped and range-bounded. */
export function usageRepositoryContract(backend: Backend) {
  describe(`${backend.name}: usage repository`, () => {
    let store: Store
    let a: TenantId
    let b: TenantId
    let ada: UserId
    let bob: UserId
    const credentials = new Map<UserId, CredentialId>()

    async function addUser(tenant: TenantId, name: string): Promise<UserId> {
      const id = (await store.transaction((tx) => tx.users.insert(tenant, newUser({ name })))).id
      const credentialId = newId<CredentialId>()
      await store.transaction((tx) => tx.credentials.insert(tenant, {
        id: credentialId, userId: id, name: 'Key', secretHash: `hash-${credentialId}`, prefix: 'rsk_live_abcd', createdAt: AT, expiresAt: null, createdByKeyId: null,
      }))
      credentials.set(id, credentialId)
      return id
    }
    const use = (tenantId: TenantId, userId: UserId, hour: number, requests: number, units = requests): UsageIncrement =>
      ({ tenantId, userId, credentialId: credentials.get(userId)!, hour, requests, units, usedAt: new Date(hour * 3_600_000).toISOString() })
    const add = (...increments: UsageIncrement[]) => store.transaction((tx) => tx.usage.add(increments))

    beforeEach(async () => {
      store = await backend.store()
      a = await addTenant(store, 'Acme')
      b = await addTenant(store, 'Beta')
      ada = await addUser(a, 'Ada')
      bob = await addUser(a, 'Bob')
    })
    afterEach(() => store.close())

    it('adds to an existing counter instead of replacing it', async () => {
      await add(use(a, ada, MARCH, 2, 5))
      await add(use(a, ada, MARCH, 3, 1), use(a, ada, MARCH + 1, 1, 1))
      const rows = await store.read((r) => r.usage.forUser(a, ada, { fromHour: MARCH, toHour: MARCH + 2 }))
      assert.deepEqual(rows.byCredential, [{ credentialId: credentials.get(ada), requests: 6, units: 7 }])
      assert.deepEqual(rows.daily, [{ date: '2026-03-01', requests: 6, units: 7 }])
    })

    it('reads a user’s usage per credential and per UTC day, within [fromHour, toHour)', async () => {
      await add(use(a, ada, MARCH - 1, 100), use(a, ada, MARCH, 1), use(a, ada, MARCH + DAY - 1, 2), use(a, ada, MARCH + DAY, 4), use(a, ada, MARCH + 2 * DAY, 8))
      await add(use(a, bob, MARCH, 16))
      const rows = await store.read((r) => r.usage.forUser(a, ada, { fromHour: MARCH, toHour: MARCH + 2 * DAY }))
      assert.deepEqual(rows.byCredential.map((c) => c.requests), [7])
      assert.deepEqual(rows.daily.map((d) => [d.date, d.requests]), [['2026-03-01', 3], ['2026-03-02', 4]])
      assert.deepEqual(await store.read((r) => r.usage.forUser(b, ada, { fromHour: 0, toHour: MARCH * 2 })), { byCredential: [], daily: [] })
    })

    it('summarises a tenant: totals, user count, and a page of users by requests then id', async () => {
      const carol = await addUser(a, 'Carol')
      const zed = await addUser(b, 'Zed')
      await add(use(a, ada, MARCH, 2, 20), use(a, bob, MARCH + 5, 5, 1), use(a, carol, MARCH + 9, 2, 2), use(b, zed, MARCH, 50))
      const range = { fromHour: MARCH, toHour: MARCH + DAY }
      const all = await store.read((r) => r.usage.forTenant(a, range, { limit: 10, offset: 0 }))
      assert.deepEqual([all.totals, all.userCount], [{ requests: 9, units: 23 }, 3])
      const tied = [ada, carol].sort()
      assert.deepEqual(all.users.map((u) => [u.userId, u.requests]), [[bob, 5], [tied[0], 2], [tied[1], 2]])
      const page = await store.read((r) => r.usage.forTenant(a, range, { limit: 1, offset: 2 }))
      assert.deepEqual([page.users.map((u) => u.userId), page.userCount], [[tied[1]], 3])
      const empty = await store.read((r) => r.usage.forTenant(a, { fromHour: MARCH + DAY, toHour: MARCH + 2 * DAY }, { limit: 10, offset: 0 }))
      assert.deepEqual(empty, { totals: { requests: 0, units: 0 }, userCount: 0, users: [] })
    })

    it('reads months and days from the rollups, equal to the sum of every increment, for any period', async () => {
      // Usage over three months (hours on day, month and year edges included), added in batches as metering does.
      const carol = await addUser(a, 'Carol')
      const start = Date.parse('2025-12-30T00:00:00Z') / 3_600_000
      const span = 75 * DAY
      let seed = 7
      const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)
      const given: UsageIncrement[] = []
      for (let batch = 0; batch < 40; batch++) {
        const increments = Array.from({ length: 1 + next(8) }, () => use(a, [ada, bob, carol][next(3)]!, start + next(span), 1 + next(9), next(50)))
        given.push(...increments)
        await add(...increments)
      }
      await add(use(b, ada, start + 10, 1_000))
      const expected = (fromHour: number, toHour: number) => {
        const inside = given.filter((i) => i.hour >= fromHour && i.hour < toHour)
        const byUser = new Map<UserId, { requests: number; units: number }>()
        for (const i of inside) {
          const sum = byUser.get(i.userId) ?? { requests: 0, units: 0 }
          byUser.set(i.userId, { requests: sum.requests + i.requests, units: sum.units + i.units })
        }
        return {
          totals: { requests: inside.reduce((n, i) => n + i.requests, 0), units: inside.reduce((n, i) => n + i.units, 0) },
          userCount: byUser.size,
          users: [...byUser].map(([userId, sum]) => ({ userId, ...sum }))
            .sort((x, y) => y.requests - x.requests || (x.userId < y.userId ? -1 : 1)),
        }
      }
      const month = (iso: string) => Date.parse(iso) / 3_600_000
      const ranges: [number, number][] = [
        [month('2026-01-01T00:00:00Z'), month('2026-02-01T00:00:00Z')], [month('2025-12-01T00:00:00Z'), month('2026-03-01T00:00:00Z')],
        [start, start + span], [start + 5, start + span - 7], [start + 30, start + 31], [start + 47, start + 2 * DAY + 1],
      ]
      for (let i = 0; i < 30; i++) {
        const from = start - DAY + next(span + 2 * DAY)
        ranges.push([from, from + next(span)])
      }
      for (const [fromHour, toHour] of ranges) {
        const summary = await store.read((r) => r.usage.forTenant(a, { fromHour, toHour }, { limit: 10, offset: 0 }))
        assert.deepEqual(summary, expected(fromHour, toHour), `hours ${fromHour} to ${toHour}`)
      }
    })

    it('answers periods far wider than the data, or outside it, from the data alone', async () => {
      await add(use(a, ada, MARCH, 3), use(a, bob, MARCH + 100, 4))
      const totals = async (fromHour: number, toHour: number) =>
        (await store.read((r) => r.usage.forTenant(a, { fromHour, toHour }, { limit: 10, offset: 0 }))).totals.requests
      assert.equal(await totals(0, 2 ** 31), 7)
      assert.equal(await totals(MARCH, MARCH + 100), 3)
      assert.equal(await totals(MARCH + 100, MARCH + 101), 4)
      assert.equal(await totals(0, MARCH), 0)
      assert.equal(await totals(MARCH + 101, 2 ** 31), 0)
      assert.equal(await totals(MARCH, MARCH), 0)
      const empty = await openSqliteStore({ path: ':memory:' })
      try {
        const none = await empty.read((r) => r.usage.forTenant(a, { fromHour: 0, toHour: 2 ** 31 }, { limit: 10, offset: 0 }))
        assert.deepEqual(none, { totals: { requests: 0, units: 0 }, userCount: 0, users: [] })
      } finally {
        await empty.close()
      }
    })
  })
}
