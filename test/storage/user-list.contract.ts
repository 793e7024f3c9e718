import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { TenantId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import type { NewUser } from '../../src/core/users/user.js'
import type { UserListQuery } from '../../src/core/users/user-list-query.js'
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js'
import { addTenant, AT, newUser } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

const SEED: Partial<NewUser>[] = [
  { name: 'Acme Corp', email: 'ops@acme.com', externalId: 'cust_1', billingPlan: 'pro' },
  { name: 'Beta LLC', email: 'hi@beta.io', externalId: 'cust_2', billingPlan: 'free', status: 'pending' },
  { name: 'Gamma 100%', email: 'g@gamma.org', externalId: 'cust_3', billingPlan: 'pro', status: 'suspended' },
  { name: 'Delta_x', email: 'Delta@Acme.com', externalId: 'acme_4', billingPlan: null },
  { name: 'Epsilon', email: null, externalId: null, billingPlan: 'pro' },
]

/** UserRepository.list: newest first, every filter, offset and keyset paging, totals, tenant scoping. */
export function userListContract(backend: Backend) {
  describe(`${backend.name}: user repository list`, () => {
    let store: Store
    let a: TenantId
    // The page and the exact count of the same filters, as the service asks for them.
    const list = async (query: Partial<UserListQuery>) => {
      const { beforeNumber, limit, offset, ...filters } = query
      return store.read(async (r) => ({
        names: (await r.users.list(a, { limit: 50, offset: 0, ...query })).map((u) => u.name),
        total: await r.users.count(a, filters),
      }))
    }

    beforeEach(async () => {
      store = await backend.store()
      a = await addTenant(store, 'Acme')
      const other = await addTenant(store, 'Other')
      for (const fields of SEED) await store.transaction((tx) => tx.users.insert(a, newUser(fields)))
      // Another tenant's users match every filter below and must never show up.
      for (const fields of SEED) await store.transaction((tx) => tx.users.insert(other, newUser({ ...fields, name: `other ${fields.name}` })))
    })
    afterEach(() => store.close())

    it('lists the tenant’s users newest first with the total', async () => {
      assert.deepEqual(await list({}), { names: ['Epsilon', 'Delta_x', 'Gamma 100%', 'Beta LLC', 'Acme Corp'], total: 5 })
    })

    it('filters by status, billing plan, external id and email (ignoring case)', async () => {
      assert.deepEqual(await list({ status: 'active' }), { names: ['Epsilon', 'Delta_x', 'Acme Corp'], total: 3 })
      assert.deepEqual(await list({ status: 'suspended' }), { names: ['Gamma 100%'], total: 1 })
      assert.deepEqual(await list({ billingPlan: 'pro' }), { names: ['Epsilon', 'Gamma 100%', 'Acme Corp'], total: 3 })
      assert.deepEqual(await list({ externalId: 'cust_2' }), { names: ['Beta LLC'], total: 1 })
      assert.deepEqual(await list({ email: 'DELTA@acme.COM' }), { names: ['Delta_x'], total: 1 })
      assert.deepEqual(await list({ status: 'active', billingPlan: 'pro' }), { names: ['Epsilon', 'Acme Corp'], total: 2 })
      assert.deepEqual(await list({ externalId: 'missing' }), { names: [], total: 0 })
    })

    it('searches q as a substring of name, email and external id, with % and _ taken literally', async () => {
      assert.deepEqual(await list({ q: 'acme' }), { names: ['Delta_x', 'Acme Corp'], total: 2 })
      assert.deepEqual(await list({ q: 'cust_' }), { names: ['Gamma 100%', 'Beta LLC', 'Acme Corp'], total: 3 })
      assert.deepEqual(await list({ q: 'beta.io' }), { names: ['Beta LLC'], total: 1 })
      assert.deepEqual(await list({ q: '100%' }), { names: ['Gamma 100%'], total: 1 })
      assert.deepEqual(await list({ q: '%' }), { names: ['Gamma 100%'], total: 1 })
      assert.deepEqual(await list({ q: 'a_' }), { names: ['Delta_x'], total: 1 })
      assert.deepEqual(await list({ q: 'zzz' }), { names: [], total: 0 })
    })

    it('pages with limit and offset; the total ignores paging', async () => {
      assert.deepEqual(await list({ limit: 2 }), { names: ['Epsilon', 'Delta_x'], total: 5 })
      assert.deepEqual(await list({ limit: 2, offset: 2 }), { names: ['Gamma 100%', 'Beta LLC'], total: 5 })
      assert.deepEqual(await list({ limit: 2, offset: 4 }), { names: ['Acme Corp'], total: 5 })
      assert.deepEqual(await list({ limit: 2, offset: 9 }), { names: [], total: 5 })
    })

    it('pages by keyset: beforeNumber returns only older users and keeps the filtered total', async () => {
      assert.deepEqual(await list({ beforeNumber: 4 }), { names: ['Gamma 100%', 'Beta LLC', 'Acme Corp'], total: 5 })
      assert.deepEqual(await list({ beforeNumber: 4, limit: 1 }), { names: ['Gamma 100%'], total: 5 })
      assert.deepEqual(await list({ beforeNumber: 4, billingPlan: 'pro' }), { names: ['Gamma 100%', 'Acme Corp'], total: 3 })
      assert.deepEqual(await list({ beforeNumber: 1 }), { names: [], total: 5 })
    })

    it('lists a tenant with no users as empty', async () => {
      const empty = await addTenant(store, 'Empty')
      assert.deepEqual(await store.read((r) => r.users.list(empty, { limit: 50, offset: 0 })), [])
      assert.equal(await store.read((r) => r.users.count(empty, {})), 0)
      assert.equal(await store.read((r) => r.users.count(empty, { status: 'active' })), 0)
    })

    it('searches q of one and two characters by reading rows, with the same results', async () => {
      assert.deepEqual(await list({ q: 'x' }), { names: ['Delta_x'], total: 1 })
      assert.deepEqual(await list({ q: 'LL' }), { names: ['Beta LLC'], total: 1 })
      assert.deepEqual(await list({ q: '_' }), { names: ['Delta_x', 'Gamma 100%', 'Beta LLC', 'Acme Corp'], total: 4 })
      assert.deepEqual(await list({ q: 'a', limit: 2 }), { names: ['Delta_x', 'Gamma 100%'], total: 4 })
    })

    it('pages a q search by cursor and offset like any other list', async () => {
      assert.deepEqual(await list({ q: 'cust', beforeNumber: 3 }), { names: ['Beta LLC', 'Acme Corp'], total: 3 })
      assert.deepEqual(await list({ q: 'cust', limit: 1, offset: 1 }), { names: ['Beta LLC'], total: 3 })
      assert.deepEqual(await list({ q: 'acme', status: 'active' }), { names: ['Delta_x', 'Acme Corp'], total: 2 })
      assert.deepEqual(await list({ q: 'cust', beforeNumber: 1 }), { names: [], total: 3 })
    })

    it('ignores case beyond ASCII in q, at any length', async () => {
      await store.transaction((tx) => tx.users.insert(a, newUser({ name: 'ÄRGER Straße', email: 'Jörg@Example.de' })))
      assert.deepEqual((await list({ q: 'ärger' })).names, ['ÄRGER Straße'])
      assert.deepEqual((await list({ q: 'STRASSE' })).names, [])
      assert.deepEqual((await list({ q: 'JÖRG@' })).names, ['ÄRGER Straße'])
      assert.deepEqual((await list({ q: 'Ä' })).names, ['ÄRGER Straße'])
      assert.deepEqual((await list({ q: 'öR' })).names, ['ÄRGER Straße'])
    })

    it('finds renamed users by their new name only, and forgets deleted ones', async () => {
      const [acme] = await store.read((r) => r.users.list(a, { limit: 1, offset: 0, q: 'Acme Corp' }))
      await store.transaction((tx) => tx.users.update(a, acme!.id, { name: 'Zeta Holdings', email: 'z@zeta.com', updatedAt: AT }))
      assert.deepEqual(await list({ q: 'Acme Corp' }), { names: [], total: 0 })
      assert.deepEqual(await list({ q: 'zeta' }), { names: ['Zeta Holdings'], total: 1 })
      assert.deepEqual(await list({ q: 'cust_1' }), { names: ['Zeta Holdings'], total: 1 })
      await store.transaction((tx) => tx.users.delete(a, acme!.id))
      assert.deepEqual(await list({ q: 'zeta' }), { names: [], total: 0 })
    })
  })
}
