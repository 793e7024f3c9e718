import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { newId, type TenantId } from '../../src/core/ids.js'
import type { IdempotencyEntry, IdempotencyScope } from '../../src/core/ports/idempotency-repository.js'
import type { Store } from '../../src/core/ports/store.js'
import type { Backend } from '../helpers/stores.js'

const entry = (keyHash: string, overrides: Partial<IdempotencyEntry> = {}): IdempotencyEntry => ({
  keyHash, requestHash: 'r1', response: null, lockedUntil: '2026-11-27T12:01:00.000Z',
  expiresAt: '2026-11-28T12:00:00.000Z', createdAt: '2026-11-27T12:00:00.000Z', ...overrides,
})

/** IdempotencyRepository guarantees: entries per scope, completion and release only of the matching running entry, bounded pruning. */
export function idempotencyRepositoryContract(backend: Backend) {
  describe(`${backend.name}: idempotency repository`, () => {
    let store: Store
    let scope: IdempotencyScope
    const find = (keyHash: string, at = scope) => store.read((r) => r.idempotency.find(at, keyHash))

    beforeEach(async () => {
      store = await backend.store()
      scope = { tenantId: newId<TenantId>(), actor: 'key-1' }
    })
    afterEach(() => store.close())

    it('stores an entry and finds it only in its own scope (another key, another tenant, the bootstrap key)', async () => {
      await store.transaction((tx) => tx.idempotency.put(scope, entry('k')))
      assert.deepEqual(await find('k'), entry('k'))
      assert.equal(await find('k', { ...scope, actor: 'key-2' }), null)
      assert.equal(await find('k', { tenantId: newId<TenantId>(), actor: 'key-1' }), null)
      assert.equal(await find('k', { tenantId: null, actor: 'key-1' }), null)
      assert.equal(await find('other'), null)
    })

    it('put replaces the entry of the same key', async () => {
      await store.transaction((tx) => tx.idempotency.put(scope, entry('k')))
      const replacement = entry('k', { requestHash: 'r2', lockedUntil: '2026-11-28T00:00:00.000Z' })
      await store.transaction((tx) => tx.idempotency.put(scope, replacement))
      assert.deepEqual(await find('k'), replacement)
    })

    it('completes only the running entry made for that request, once', async () => {
      await store.transaction((tx) => tx.idempotency.put(scope, entry('k')))
      await store.transaction((tx) => tx.idempotency.complete(scope, 'k', 'other-request', 'wrong'))
      assert.equal((await find('k'))?.response, null)
      await store.transaction((tx) => tx.idempotency.complete(scope, 'k', 'r1', 'sealed'))
      await store.transaction((tx) => tx.idempotency.complete(scope, 'k', 'r1', 'again'))
      assert.equal((await find('k'))?.response, 'sealed')
    })

    it('releases a running entry of that request, never a finished one', async () => {
      await store.transaction(async (tx) => {
        await tx.idempotency.put(scope, entry('running'))
        await tx.idempotency.put(scope, entry('done', { response: 'sealed' }))
      })
      await store.transaction((tx) => tx.idempotency.release(scope, 'running', 'other-request'))
      assert.notEqual(await find('running'), null)
      await store.transaction(async (tx) => {
        await tx.idempotency.release(scope, 'running', 'r1')
        await tx.idempotency.release(scope, 'done', 'r1')
      })
      assert.equal(await find('running'), null)
      assert.equal((await find('done'))?.response, 'sealed')
    })

    it('prunes expired entries of every scope, at most `limit` at a time, and nothing else', async () => {
      const other: IdempotencyScope = { tenantId: null, actor: 'bootstrap' }
      await store.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await tx.idempotency.put(scope, entry(`old${i}`, { expiresAt: '2026-11-27T00:00:00.000Z' }))
        await tx.idempotency.put(other, entry('old', { expiresAt: '2026-11-27T06:00:00.000Z' }))
        await tx.idempotency.put(scope, entry('live'))
      })
      const now = '2026-11-27T06:00:00.000Z'
      assert.equal(await store.transaction((tx) => tx.idempotency.pruneExpired(now, 3)), 3)
      assert.equal(await store.transaction((tx) => tx.idempotency.pruneExpired(now, 3)), 1)
      assert.equal(await store.transaction((tx) => tx.idempotency.pruneExpired(now, 3)), 0)
      assert.notEqual(await find('live'), null)
    })
  })
}
