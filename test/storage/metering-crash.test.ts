import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { openRoster } from '../../src/index.js'
import { spawnCli } from '../helpers/cli.js'
import { BOOTSTRAP_KEY, createTestTenant } from '../helpers/roster.js'
import { tempDbPath } from '../helpers/temp-db.js'

const CALLERS = 16
const ACKNOWLEDGED_BEFORE_KILL = 600
const EVERYTHING = { from: '2000-01-01', to: '2100-12-31' }

describe('metering survives kill -9 and close()', () => {
  it('counts every verification a killed process acknowledged, and at most one more per caller', { timeout: 120_000 }, async () => {
    const path = tempDbPath()
    const setup = await openRoster({ path, bootstrapKey: BOOTSTRAP_KEY })
    const acme = await createTestTenant(setup, 'Acme')
    const user = await setup.users.create(acme.principal, { name: 'Busy' })
    const { secret } = await setup.credentials.create(acme.principal, user.id, { name: 'Hammered' })
    await setup.close()

    const ackFile = `${path}.acknowledged`
    const child = spawnCli(process.execPath, ['--import', 'tsx', 'test/fixtures/verify-loop.ts', path, secret, ackFile, String(CALLERS)])
    const acknowledged = () => (existsSync(ackFile) ? readFileSync(ackFile, 'utf8').split('\n').filter((line) => line === 'ok').length : 0)
    let running = true
    const ended = child.exited.then(({ code }) => {
      if (running) throw new Error(`verify loop exited (${code}) before it was killed\n${child.stderr()}`)
    })
    await Promise.race([ended, (async () => {
      while (acknowledged() < ACKNOWLEDGED_BEFORE_KILL) await sleep(20)
    })()])
    running = false
    child.child.kill('SIGKILL')
    const { signal } = await child.exited
    assert.equal(signal, 'SIGKILL')
    const printed = acknowledged()

    const reopened = await openRoster({ path })
    try {
      const tenant = reopened.principals.tenant(acme.tenantId)
      const report = await reopened.usage.forUser(tenant, user.id, EVERYTHING)
      const { requests, units } = report.totals
      assert.ok(requests >= printed, `${printed} acknowledged but only ${requests} counted`)
      assert.ok(requests <= printed + CALLERS, `${requests} counted but only ${printed} acknowledged by ${CALLERS} callers`)
      assert.equal(units, requests * 3)
      // Every report agrees on the same committed count.
      assert.deepEqual((await reopened.usage.summary(tenant, EVERYTHING)).totals, { requests, units })
      assert.deepEqual(report.credentials.map((c) => c.requests), [requests])
      assert.equal(report.daily.reduce((sum, day) => sum + day.requests, 0), requests)
      const [credential] = await reopened.credentials.list(tenant, user.id)
      assert.notEqual(credential?.lastUsedAt, null)
      // The file is consistent and writable again: metering carries on from the recovered count.
      assert.equal((await reopened.credentials.verify(secret)).valid, true)
      assert.equal((await reopened.usage.forUser(tenant, user.id, EVERYTHING)).totals.requests, requests + 1)
    } finally {
      await reopened.close()
    }
  })

  it('close() waits for verifications in flight and commits their usage before the file is released', async () => {
    const path = tempDbPath()
    const roster = await openRoster({ path, bootstrapKey: BOOTSTRAP_KEY })
    const acme = await createTestTenant(roster, 'Acme')
    const user = await roster.users.create(acme.principal, { name: 'Late' })
    const { secret } = await roster.credentials.create(acme.principal, user.id, { name: 'Key' })
    const inFlight = Array.from({ length: 250 }, () => roster.credentials.verify(secret, { units: 2 }))
    await roster.close()
    assert.equal((await Promise.all(inFlight)).filter((r) => r.valid).length, 250)
    const reopened = await openRoster({ path })
    try {
      const report = await reopened.usage.forUser(reopened.principals.tenant(acme.tenantId), user.id, EVERYTHING)
      assert.deepEqual(report.totals, { requests: 250, units: 500 })
    } finally {
      await reopened.close()
    }
  })
})
