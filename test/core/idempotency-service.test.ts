import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import type { IdempotencyStart, Roster } from '../../src/index.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { settableClock, type SettableClock } from '../helpers/settable-clock.js'
import { STORES } from '../helpers/stores.js'

const request = (body: string) => ({ method: 'POST', target: '/v1/admin/users', body: Buffer.from(body) })
const ANSWER = { status: 201, headers: { location: '/x' }, body: '{"id":1}' }

function run(start: IdempotencyStart) {
  assert.equal(start.kind, 'run')
  return start as Extract<IdempotencyStart, { kind: 'run' }>
}

for (const backend of STORES) {
  describe(`${backend.name}: idempotency service`, () => {
    let roster: Roster
    let clock: SettableClock
    let acme: TestTenant
    const begin = (key: string, body = '{}', tenant = acme) => roster.idempotency.begin(tenant.principal, tenant.key, key, request(body))

    beforeEach(async () => {
      clock = settableClock('2026-11-27T12:00:00.000Z')
      // A second of waiting: long enough that a retry on a busy PostgreSQL still sees the first finish.
      roster = await openTestRoster({ ...(await backend.roster()), clock, idempotency: { waitMs: 1_000, lockMs: 60_000 } })
      acme = await createTestTenant(roster, 'Acme')
    })
    afterEach(() => roster.close())

    it('keeps the first answer and replays it to the same request; a different request is a mismatch', async () => {
      await run(await begin('k1')).finish(ANSWER)
      assert.deepEqual(await begin('k1'), { kind: 'replay', response: ANSWER })
      assert.deepEqual(await begin('k1', '{"other":1}'), { kind: 'mismatch' })
    })

    it('a running key is busy after the wait; abandoning it frees the key', async () => {
      const first = run(await begin('k2'))
      assert.deepEqual(await begin('k2'), { kind: 'busy' })
      assert.deepEqual(await begin('k2', '{"other":1}'), { kind: 'mismatch' })
      await first.abandon()
      await run(await begin('k2', '{"other":1}')).finish(ANSWER)
    })

    it('a waiting retry wakes when the first finishes and gets its answer', async () => {
      const first = run(await begin('k3'))
      const retry = roster.idempotency.begin(acme.principal, acme.key, 'k3', request('{}'))
      await first.finish(ANSWER)
      assert.deepEqual(await retry, { kind: 'replay', response: ANSWER })
    })

    it('a running entry past its lock was left by a request that died: a retry takes it over', async () => {
      run(await begin('k4'))
      clock.advanceMs(60_001)
      await run(await begin('k4')).finish(ANSWER)
      assert.deepEqual(await begin('k4'), { kind: 'replay', response: ANSWER })
    })

    it('keys of another tenant never meet: the same key there runs its own request', async () => {
      await run(await begin('k5')).finish(ANSWER)
      const other = await createTestTenant(roster, 'Other')
      run(await begin('k5', '{}', other))
    })

    it('an answer is kept 24 hours; then the key is free, and pruning deletes expired entries in batches', async () => {
      for (let i = 0; i < 7; i++) await run(await begin(`old${i}`)).finish(ANSWER)
      clock.advanceMs(24 * 60 * 60 * 1000 - 1)
      assert.equal((await begin('old0')).kind, 'replay')
      assert.equal(await roster.idempotency.prune(), 0)
      clock.advanceMs(1)
      await run(await begin('new')).finish(ANSWER)
      assert.equal(await roster.idempotency.prune(3), 3)
      assert.equal(await roster.idempotency.prune(3), 3)
      assert.equal(await roster.idempotency.prune(3), 1)
      assert.equal(await roster.idempotency.prune(3), 0)
      assert.equal((await begin('new')).kind, 'replay')
      run(await begin('old1', '{"anything":1}'))
    })
  })
}
