import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ValidationError, type Roster } from '../../src/index.js'
import type { ListUsersInput, UserPage } from '../../src/core/users/user-list-query.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const COUNT = 23

for (const backend of STORES) {
  describe(`${backend.name}: users service list`, () => {
    let roster: Roster
    let acme: TestTenant
    const list = (input: ListUsersInput) => roster.users.list(acme.principal, input)

    /** Follows nextCursor from the first page to the last and returns every page. */
    async function walk(input: ListUsersInput): Promise<UserPage[]> {
      const pages = [await list(input)]
      for (let page = pages[0]; page?.nextCursor; ) pages.push((page = await list({ ...input, cursor: page.nextCursor })))
      return pages
    }

    before(async () => {
      roster = await openTestRoster(await backend.roster())
      acme = await createTestTenant(roster, 'Acme')
      const beta = await createTestTenant(roster, 'Beta')
      for (let i = 1; i <= COUNT; i++) {
        await roster.users.create(acme.principal, { name: `User ${i}`, billingPlan: i % 3 === 0 ? 'pro' : 'free', email: `u${i}@acme.com` })
        await roster.users.create(beta.principal, { name: `Beta ${i}` })
      }
    })
    after(() => roster.close())

    it('walks every user by cursor, newest first, with no duplicates or gaps', async () => {
      const pages = await walk({ limit: 5 })
      assert.deepEqual(pages.map((p) => p.users.length), [5, 5, 5, 5, 3])
      const numbers = pages.flatMap((p) => p.users.map((u) => u.number))
      assert.deepEqual(numbers, Array.from({ length: COUNT }, (_, i) => COUNT - i))
      assert.equal(new Set(pages.flatMap((p) => p.users.map((u) => u.id))).size, COUNT)
      assert.ok(pages.every((p) => p.total === COUNT && p.limit === 5))
      assert.deepEqual(pages.map((p) => p.hasMore), [true, true, true, true, false])
      assert.equal(pages.at(-1)?.nextCursor, null)
    })

    it('walks a filtered list by cursor', async () => {
      const pages = await walk({ limit: 2, billingPlan: 'pro' })
      const names = pages.flatMap((p) => p.users.map((u) => u.name))
      assert.deepEqual(names, ['User 21', 'User 18', 'User 15', 'User 12', 'User 9', 'User 6', 'User 3'])
      // Counting a billing plan reads every match, so it happens only when asked for.
      assert.ok(pages.every((p) => p.total === null))
      assert.ok((await walk({ limit: 2, billingPlan: 'pro', count: true })).every((p) => p.total === 7))
      assert.equal((await list({ limit: 2, billingPlan: 'pro', count: 'true' })).total, 7)
    })

    it('totals status-filtered, email and external id lists without being asked, q only when asked', async () => {
      assert.equal((await list({ status: 'active' })).total, COUNT)
      assert.equal((await list({ status: 'pending', count: 'false' })).total, 0)
      assert.equal((await list({ email: 'u3@acme.com' })).total, 1)
      assert.equal((await list({ externalId: 'nobody', billingPlan: 'pro' })).total, 0)
      assert.equal((await list({ q: 'User 1' })).total, null)
      assert.equal((await list({ q: 'User 1', count: true })).total, 11)
      await assert.rejects(list({ count: 'yes' as never }), (e) => e instanceof ValidationError && e.field === 'count')
    })

    it('pages by offset with the default limit of 50', async () => {
      const all = await list({})
      assert.deepEqual([all.users.length, all.limit, all.offset, all.hasMore, all.nextCursor], [COUNT, 50, 0, false, null])
      const middle = await list({ limit: 10, offset: 10 })
      assert.deepEqual(middle.users.map((u) => u.number), [13, 12, 11, 10, 9, 8, 7, 6, 5, 4])
      assert.deepEqual([middle.offset, middle.hasMore], [10, true])
      assert.deepEqual((await list({ limit: 10, offset: 20 })).users.map((u) => u.number), [3, 2, 1])
    })

    it('searches q and filters by email ignoring case', async () => {
      assert.deepEqual((await list({ q: 'User 2' })).users.map((u) => u.name), ['User 23', 'User 22', 'User 21', 'User 20', 'User 2'])
      assert.deepEqual((await list({ email: 'U7@ACME.com' })).users.map((u) => u.name), ['User 7'])
      assert.equal((await list({ status: 'suspended' })).total, 0)
    })

    it('rejects bad paging and filters naming the field', async () => {
      const cases: [ListUsersInput, string][] = [
        [{ limit: 0 }, 'limit'], [{ limit: 1001 }, 'limit'], [{ limit: 1.5 }, 'limit'], [{ limit: 'ten' as never }, 'limit'],
        [{ offset: -1 }, 'offset'], [{ cursor: 'garbage' }, 'cursor'], [{ status: 'deleted' as never }, 'status'],
        [{ sort: 'name' } as never, 'sort'],
      ]
      for (const [input, field] of cases) {
        await assert.rejects(list(input), (e) => e instanceof ValidationError && e.field === field && e.message.includes(field))
      }
      assert.equal((await list({ limit: 1000 })).users.length, COUNT)
    })
  })
}
