import assert from 'node:assert/strict'
import type Database from 'better-sqlite3'
import { after, before, describe, it } from 'node:test'
import { bulkLoadUsers } from '../../bench/lib/bulk-load.js'
import { openRawConnection } from '../../bench/lib/raw-connection.js'
import { bulkLoadCredentials, zipfDraws, type LoadedCredentials } from '../../bench/suites/credentials-fixture.js'
import { prepareRawCredentials, type RawCredentials } from '../../bench/suites/credentials-raw.js'
import { openRoster, type Roster } from '../../src/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

const HOUR_MS = 3_600_000

// The credentials benchmark compares roster with a raw baseline on a bulk-loaded file: loaded rows must
// be roster's own, and every raw statement must return what roster returns.
describe('benchmark: credentials loader and raw baseline', () => {
  let roster: Roster
  let handle: Database.Database
  let loaded: LoadedCredentials
  let raw: RawCredentials

  before(async () => {
    const path = tempDbPath()
    roster = await openRoster({ path, durability: 'normal' })
    handle = openRawConnection(path, 'normal')
    loaded = bulkLoadCredentials(handle, bulkLoadUsers(handle, { users: 300, tenants: 3 }), { credentials: 60, usageRows: 3000, hot: 20 })
    raw = prepareRawCredentials(handle)
  })
  after(async () => {
    await roster.close()
    handle.close()
  })

  it('loads credentials that roster verifies, and usage rows it counts exactly as the raw SQL does', async () => {
    const totalBefore = raw.totalRequests()
    assert.ok(totalBefore > 0)
    for (const hot of loaded.hot) {
      const result = await roster.credentials.verify(hot.secret)
      assert.ok(result.valid)
      const row = raw.credentialByHash(hot.hash)
      assert.deepEqual([row?.c_id, row?.id, row?.tenant_name], [result.credential.id, result.user.id, result.tenant.name])
      assert.equal(raw.plainCredentialByHash(hot.hash)?.id, result.credential.id)
    }
    assert.equal(raw.totalRequests(), totalBefore + loaded.hot.length)
  })

  it('runs the summary and user-report SQL to the same numbers as roster', async () => {
    const principal = roster.principals.tenant(loaded.largest.id)
    const now = Date.now()
    const at = new Date(now)
    const month = { fromHour: Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) / HOUR_MS, toHour: Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) / HOUR_MS }
    const summary = await roster.usage.summary(principal, {})
    const rawSummary = raw.summary(loaded.largest.id, month, 50)
    assert.ok(summary.totals.requests > 0)
    assert.deepEqual([Number(rawSummary.totals.requests), Number(rawSummary.totals.units)], [summary.totals.requests, summary.totals.units])
    assert.deepEqual(rawSummary.users.map((u) => [u.user_id, u.requests, u.user?.id]), summary.users.map((u) => [u.userId, u.requests, u.userId]))
    const report = await roster.usage.forUser(principal, loaded.busiestUserId, {})
    const rawReport = raw.userUsage(loaded.largest.id, loaded.busiestUserId, month)
    assert.equal(rawReport.byCredential.reduce((sum, row) => sum + Number(row.requests), 0), report.totals.requests)
    assert.equal(rawReport.credentials.length, report.credentials.length)
    assert.equal(rawReport.daily.length, report.daily.length)
  })

  it('meters one request per raw verifyAndMeter, as roster counts it', async () => {
    const [hot] = loaded.hot
    const match = await roster.credentials.verify(hot!.secret)
    assert.ok(match.valid)
    const principal = roster.principals.tenant(match.tenant.id)
    const before = (await roster.usage.forUser(principal, match.user.id, {})).totals.requests
    raw.verifyAndMeter(hot!.hash, Math.floor(Date.now() / HOUR_MS), new Date().toISOString())
    assert.equal((await roster.usage.forUser(principal, match.user.id, {})).totals.requests, before + 1)
  })

  it('draws keys Zipf-like: every index in range, the first far more often than the last', () => {
    const draws = zipfDraws(100, 20_000)
    assert.ok(draws.every((i) => Number.isInteger(i) && i >= 0 && i < 100))
    const count = (i: number) => draws.filter((d) => d === i).length
    assert.ok(count(0) > 10 * count(99), `${count(0)} vs ${count(99)}`)
  })
})
