import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { AuditEntry, AuditQuery } from '../../src/core/audit/audit-entry.js'
import { newAuditId } from '../../src/core/audit/audit-id.js'
import type { TenantId } from '../../src/core/ids.js'
import type { Store } from '../../src/core/ports/store.js'
import { addTenant } from '../helpers/store-fixtures.js'
import type { Backend } from '../helpers/stores.js'

function entry(tenantId: TenantId, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: newAuditId(), tenantId, at, actor: 'host', actorType: 'host', surface: 'library', requestId: null,
    action: 'user.updated', targetType: 'user', targetId: 'u-1', fields: ['name'], before: { name: 'A' }, after: { name: 'B' },
    ...overrides,
  }
}

const minute = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString()

/** AuditRepository guarantees: appended with the transaction, newest first, keyset pages, tenant-scoped, pruned in batches. */
export function auditRepositoryContract(backend: Backend) {
  describe(`${backend.name}: audit repository`, () => {
    let store: Store
    let tenant: TenantId

    beforeEach(async () => {
      store = await backend.store()
      tenant = await addTenant(store)
    })
    afterEach(() => store.close())

    it('keeps an entry only when its transaction commits', async () => {
      await assert.rejects(store.transaction(async (tx) => {
        await tx.audit.append(entry(tenant, minute(1)))
        throw new Error('the change failed after its entry was written')
      }), /failed after/)
      assert.deepEqual(await store.read((r) => r.audit.list(tenant, { limit: 10 })), [])
      const kept = entry(tenant, minute(2))
      await store.transaction((tx) => tx.audit.append(kept))
      assert.deepEqual(await store.read((r) => r.audit.list(tenant, { limit: 10 })), [kept])
    })

    it('lists newest first, ties in the order written, and pages by keyset without gaps or repeats', async () => {
      const written = [entry(tenant, minute(1)), entry(tenant, minute(2)), entry(tenant, minute(2)), entry(tenant, minute(3)), entry(tenant, minute(4))]
      await store.transaction(async (tx) => {
        for (const e of written) await tx.audit.append(e)
      })
      const seen: AuditEntry[] = []
      let after: { at: string; id: string } | undefined
      for (;;) {
        const page = await store.read((r) => r.audit.list(tenant, { limit: 2, after }))
        seen.push(...page)
        if (page.length < 2) break
        after = page[page.length - 1]
      }
      assert.deepEqual(seen.map((e) => e.id), [...written].reverse().map((e) => e.id))
    })

    it('filters by actor, action, target, target type and a half-open time range', async () => {
      const a = entry(tenant, minute(1), { actor: 'key-a', action: 'user.created', targetId: 'u-1' })
      const b = entry(tenant, minute(2), { actor: 'key-b', action: 'user.updated', targetId: 'u-2' })
      const c = entry(tenant, minute(3), { actor: 'key-a', action: 'role.created', targetType: 'role', targetId: 'r-1' })
      await store.transaction(async (tx) => {
        for (const e of [a, b, c]) await tx.audit.append(e)
      })
      const ids = async (query: Omit<AuditQuery, 'limit'>) =>
        (await store.read((r) => r.audit.list(tenant, { limit: 10, ...query }))).map((e) => e.id)
      assert.deepEqual(await ids({ actor: 'key-a' }), [c.id, a.id])
      assert.deepEqual(await ids({ action: 'user.updated' }), [b.id])
      assert.deepEqual(await ids({ target: 'u-1' }), [a.id])
      assert.deepEqual(await ids({ targetType: 'role' }), [c.id])
      assert.deepEqual(await ids({ from: minute(2), to: minute(3) }), [b.id])
      assert.deepEqual(await ids({ actor: 'key-a', from: minute(2) }), [c.id])
    })

    it("never lists another tenant's entries", async () => {
      const other = await addTenant(store, 'Other')
      await store.transaction((tx) => tx.audit.append(entry(other, minute(1))))
      assert.deepEqual(await store.read((r) => r.audit.list(tenant, { limit: 10 })), [])
      assert.equal((await store.read((r) => r.audit.list(other, { limit: 10 }))).length, 1)
    })

    it('prunes entries older than the cut-off, at most about a batch per call, oldest first', async () => {
      await store.transaction(async (tx) => {
        for (let i = 0; i < 30; i++) await tx.audit.append(entry(tenant, minute(i)))
      })
      const other = await addTenant(store, 'Other')
      await store.transaction((tx) => tx.audit.append(entry(other, minute(0))))
      assert.equal(await store.transaction((tx) => tx.audit.prune(tenant, minute(25), 10)), 10)
      let left = await store.read((r) => r.audit.list(tenant, { limit: 100 }))
      assert.equal(left.length, 20)
      assert.equal(left[left.length - 1]?.at, minute(10))
      assert.equal(await store.transaction((tx) => tx.audit.prune(tenant, minute(25), 100)), 15)
      left = await store.read((r) => r.audit.list(tenant, { limit: 100 }))
      assert.deepEqual(left.map((e) => e.at), Array.from({ length: 5 }, (_, i) => minute(29 - i)))
      assert.equal((await store.read((r) => r.audit.list(other, { limit: 10 }))).length, 1, 'another tenant keeps its entries')
    })
  })
}
