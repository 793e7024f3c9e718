import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { openRoster } from '../../src/index.js'
import { spawnCli } from '../helpers/cli.js'
import { BOOTSTRAP_KEY, createTestTenant } from '../helpers/roster.js'
import { tempDbPath } from '../helpers/temp-db.js'

const CALLERS = 32
const ACKNOWLEDGED_BEFORE_KILL = 300

describe('group-committed writes survive kill -9', () => {
  it('keeps every create a killed process acknowledged, with its counters and search entries', { timeout: 120_000 }, async () => {
    const path = tempDbPath()
    const setup = await openRoster({ path, bootstrapKey: BOOTSTRAP_KEY })
    const acme = await createTestTenant(setup, 'Acme')
    await setup.users.create(acme.principal, { name: 'First', email: 'taken@example.com' })
    await setup.close()

    const ackFile = `${path}.acknowledged`
    const child = spawnCli(process.execPath, ['--import', 'tsx', 'test/fixtures/create-loop.ts', path, acme.tenantId, ackFile, String(CALLERS)])
    const acknowledged = () => (existsSync(ackFile) ? readFileSync(ackFile, 'utf8').split('\n').filter(Boolean) : [])
    let running = true
    const ended = child.exited.then(({ code }) => {
      if (running) throw new Error(`create loop exited (${code}) before it was killed\n${child.stderr()}`)
    })
    await Promise.race([ended, (async () => {
      while (acknowledged().length < ACKNOWLEDGED_BEFORE_KILL) await sleep(20)
    })()])
    running = false
    child.child.kill('SIGKILL')
    assert.equal((await child.exited).signal, 'SIGKILL')
    const printed = acknowledged()

    const reopened = await openRoster({ path })
    try {
      const tenant = reopened.principals.tenant(acme.tenantId)
      for (const externalId of printed) assert.equal((await reopened.users.getByExternalId(tenant, externalId)).externalId, externalId)
      // At most one unacknowledged group per caller may also have landed; the counters count exactly what is there.
      const all = []
      for (let page = await reopened.users.list(tenant, { limit: 1000 }); ; page = await reopened.users.list(tenant, { limit: 1000, cursor: page.nextCursor! })) {
        all.push(...page.users)
        if (!page.nextCursor) break
      }
      assert.ok(all.length >= printed.length + 1 && all.length <= printed.length + 1 + CALLERS, `${all.length} users for ${printed.length} acknowledged`)
      assert.equal((await reopened.users.list(tenant, { limit: 1 })).total, all.length)
      assert.equal((await reopened.users.list(tenant, { status: 'active', limit: 1 })).total, all.length)
      assert.equal(all.filter((u) => u.email === 'taken@example.com').length, 1)
      // The search index committed with the rows.
      const sample = printed[Math.floor(printed.length / 2)]!
      const email = `user${sample.slice('crash-'.length)}@`
      assert.deepEqual((await reopened.users.list(tenant, { q: email })).users.map((u) => u.externalId), [sample])
      assert.equal((await reopened.users.list(tenant, { q: 'crash-', count: true, limit: 1 })).total, all.length - 1)
    } finally {
      await reopened.close()
    }
  })
})
