import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { AccountCondition } from '../../src/core/accounts/account-query.js'
import { ConflictError } from '../../src/core/errors.js'
import { newId, type TenantId, type UserId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import type { RoleId } from '../../src/core/roles/role.js'
import { USER_STATUSES, type User, type UserStatus } from '../../src/core/users/user.js'
import type { UserFilters } from '../../src/core/users/user-list-query.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { addTenant, AT, newUser } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox']

/**
 * Counters and the search index under group commit: after rounds of concurrent inserts (some refused as
 * duplicates inside their group), deletes, status changes and role grants, every O(1) count equals a
 * fresh count of the rows, and every substring search equals a scan of them.
 */
export function userCountersContract(backend: Backend) {
  describe(`${backend.name}: counters and search index under group commit`, () => {
    let store: Store
    let a: TenantId
    let b: TenantId
    let seed = 3
    const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n)

    beforeEach(async () => {
      store = await backend.store()
      a = await addTenant(store, 'Acme')
      b = await addTenant(store, 'Beta')
    })
    afterEach(() => store.close())

    /** Every user of the tenant, walked page by page through the list (a fresh count, not a counter). */
    async function everyone(tenant: TenantId, filters: UserFilters = {}): Promise<User[]> {
      const out: User[] = []
      for (let before: number | undefined; ;) {
        const page = await store.read((r) => r.users.list(tenant, { ...filters, limit: 7, offset: 0, beforeNumber: before }))
        out.push(...page)
        if (page.length < 7) return out
        before = page.at(-1)!.number
      }
    }

    it('keeps counts exact and search complete through concurrent writes, failed ones included', async () => {
      const role = newId<RoleId>()
      await store.transaction((tx) => tx.roles.insert(a, { id: role, name: 'r1', description: null, createdAt: AT }))
      const emails: string[] = []
      let refused = 0
      for (let round = 0; round < 12; round++) {
        const users = await everyone(a)
        const writes: Promise<unknown>[] = []
        for (let i = 0; i < 12; i++) {
          const action = next(10)
          const victim = users[next(Math.max(1, users.length))]
          if (action < 5 || !victim) {
            // Sometimes an email already taken: refused with ConflictError, rolled back alone inside its group.
            const email = emails.length > 0 && next(4) === 0 ? emails[next(emails.length)]! : `u${round}-${i}@${WORDS[next(WORDS.length)]}.example`
            const status = USER_STATUSES[next(3)] as UserStatus
            const name = `${WORDS[next(WORDS.length)]} ${WORDS[next(WORDS.length)]} ${round}.${i}`
            const tenant = next(5) === 0 ? b : a
            writes.push(store.transaction(async (tx) => {
              const user = await tx.users.insert(tenant, newUser({ name, email, status, externalId: `ext-${round}-${i}` }))
              if (tenant === a && next(3) === 0) await tx.roles.grant(a, user.id, [role], AT)
              return user
            }).then(() => emails.push(email), (error) => {
              assert.ok(error instanceof ConflictError, String(error))
              refused++
            }))
          } else if (action < 7) {
            writes.push(store.transaction((tx) => tx.users.delete(a, victim.id)))
          } else if (action < 9) {
            const status = USER_STATUSES[next(3)] as UserStatus
            writes.push(store.transaction((tx) => tx.users.update(a, victim.id, { status, updatedAt: AT })))
          } else {
            // A transaction that writes, then fails: its write must leave no trace in any counter.
            writes.push(store.transaction(async (tx) => {
              await tx.users.update(a, victim.id, { status: 'suspended', name: 'ghost name', updatedAt: AT })
              await tx.roles.revoke(a, victim.id, [role])
              throw new Error('changed my mind')
            }).catch(() => undefined))
          }
        }
        await Promise.all(writes)
        for (const tenant of [a, b]) {
          const all = await everyone(tenant)
          assert.equal(await store.read((r) => r.users.count(tenant, {})), all.length)
          for (const status of USER_STATUSES) {
            const counted = await store.read((r) => r.users.count(tenant, { status }))
            assert.equal(counted, all.filter((u) => u.status === status).length, `${status} in round ${round}`)
            assert.equal(counted, (await everyone(tenant, { status })).length)
          }
        }
        const holders: AccountCondition = { field: 'roles', op: 'in', value: ['r1'] }
        const held = await store.read((r) => r.accounts.list(a, { conditions: [holders], sort: [{ field: 'id', descending: false }], limit: 1000, offset: 0 }))
        assert.equal(await store.read((r) => r.accounts.count(a, [holders])), held.length)
        assert.equal(await store.read((r) => r.accounts.count(a, [{ field: 'enabled', op: 'eq', value: true }])),
          (await everyone(a)).filter((u) => u.status === 'active').length)
      }
      assert.ok(refused > 0, 'some inserts were refused as duplicates')
      assert.equal((await everyone(a)).some((u) => u.name === 'ghost name'), false)

      // The trigram index agrees with a plain scan of the same rows, for every word and fragment.
      const all = await everyone(a)
      const patterns = [...WORDS, 'ALPHA', 'a b', 'example', '.example', 'ext-3-', '@fox', 'rav', 'o 1', 'zzz', 'u1', 'x', 'ho']
      for (const q of patterns) {
        const scanned = all.filter((u) => [u.name, u.email, u.externalId].some((text) => text?.toLowerCase().includes(q.toLowerCase())))
        const found = await everyone(a, { q })
        assert.deepEqual(found.map((u) => u.id), scanned.map((u) => u.id), `q=${q}`)
        assert.equal(await store.read((r) => r.users.count(a, { q })), scanned.length, `count q=${q}`)
      }
    })

    it('starts a tenant’s counts at zero and never lets a refused insert count', async () => {
      const user = await store.transaction((tx) => tx.users.insert(a, newUser({ email: 'taken@x.com' })))
      const results = await Promise.allSettled([
        store.transaction((tx) => tx.users.insert(a, newUser({ email: 'TAKEN@x.com' }))),
        store.transaction((tx) => tx.users.insert(a, newUser({ email: 'free@x.com', status: 'pending' }))),
      ])
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled'])
      assert.deepEqual(await store.read(async (r) => [await r.users.count(a, {}), await r.users.count(a, { status: 'pending' }), await r.users.count(b, {})]), [2, 1, 0])
      await store.transaction((tx) => tx.users.delete(a, user.id as UserId))
      assert.deepEqual(await store.read(async (r) => [await r.users.count(a, {}), await r.users.count(a, { status: 'active' })]), [1, 0])
    })
  })
}
