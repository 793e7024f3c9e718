import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type Database from 'better-sqlite3'
import { openRoster, type Roster } from '../../src/index.js'
import { bulkLoadUsers, type LoadedTenant } from '../../bench/lib/bulk-load.js'
import { formatJsonLine, formatTable } from '../../bench/lib/print.js'
import { openRawConnection } from '../../bench/lib/raw-connection.js'
import { cycle, median, opsPerSecond, rateFigure } from '../../bench/lib/timing.js'
import { prepareUsersFixture, type UsersFixture } from '../../bench/suites/users-fixture.js'
import { prepareRawUsers, type RawUsers } from '../../bench/suites/users-raw.js'
import { tempDbPath } from '../helpers/temp-db.js'

// The benchmark compares roster with a raw baseline on a bulk-loaded file; these tests keep both honest
// as the schema grows: loaded rows must be roster's own, and the baseline must return what roster returns.
describe('benchmark: bulk loader and raw baseline', () => {
  let roster: Roster
  let handle: Database.Database
  let loaded: LoadedTenant[]
  let fixture: UsersFixture
  let raw: RawUsers

  before(async () => {
    const path = tempDbPath()
    roster = await openRoster({ path, durability: 'normal' })
    handle = openRawConnection(path, 'normal')
    loaded = bulkLoadUsers(handle, { users: 301, tenants: 3 })
    fixture = await prepareUsersFixture(roster, handle, loaded)
    raw = prepareRawUsers(handle)
  })
  after(async () => {
    await roster.close()
    handle.close()
  })

  it('spreads the users evenly over the tenants', () => {
    assert.deepEqual(loaded.map((t) => t.users), [101, 100, 100])
  })

  it('loads users roster reads and lists, newest first, with the right totals', async () => {
    const tenant = fixture.tenants[1]!
    const page = await roster.users.list(tenant.principal, { limit: 10 })
    assert.equal(page.total, 100)
    assert.equal(page.users[0]!.number, 100)
    assert.equal(page.users[0]!.tenantName, tenant.name)
    const user = await roster.users.getByExternalId(tenant.principal, 'ext-1-7')
    assert.equal(user.email, 'user7@tenant1.example.com')
    assert.deepEqual(user.metadata, { source: 'bench', seq: 7 })
  })

  it('moves each tenant counter past its loaded users, so roster numbers new users after them', async () => {
    const tenant = fixture.tenants[0]!
    const created = await roster.users.create(tenant.principal, { name: 'After Load', externalId: 'after-load' })
    assert.equal(created.number, 102)
  })

  it('runs point reads that find the same user as roster', async () => {
    for (const sample of fixture.samples.slice(0, 20)) {
      const user = await roster.users.get(sample.tenant.principal, sample.id)
      assert.equal(raw.getById(sample.tenant.id, sample.id)?.id, user.id)
      assert.equal(raw.getByExternalId(sample.tenant.id, sample.externalId)?.id, user.id)
    }
  })

  it('never finds another tenant’s user through the baseline either', () => {
    const sample = fixture.samples[0]!
    const other = fixture.tenants.find((t) => t.id !== sample.tenant.id)!
    assert.equal(raw.getById(other.id, sample.id), undefined)
  })

  it('lists the same pages and totals as roster, by offset and by cursor', async () => {
    const tenant = fixture.tenants[2]!
    const first = await roster.users.list(tenant.principal, { limit: 50 })
    const rawFirst = raw.list(tenant.id, 50, 0)
    assert.equal(rawFirst.rows.length, 51)
    assert.deepEqual(rawFirst.rows.slice(0, 50).map((r) => r.id), first.users.map((u) => u.id))
    assert.equal(rawFirst.total, first.total)
    const second = await roster.users.list(tenant.principal, { limit: 50, cursor: first.nextCursor! })
    const rawSecond = raw.listBefore(tenant.id, first.users[49]!.number, 50)
    assert.deepEqual(rawSecond.rows.map((r) => r.id), second.users.map((u) => u.id))
    const byOffset = await roster.users.list(tenant.principal, { limit: 50, offset: 50 })
    assert.deepEqual(raw.list(tenant.id, 50, 50).rows.map((r) => r.id), byOffset.users.map((u) => u.id))
  })

  it('creates users roster then sees, sharing the tenant counter', async () => {
    const tenant = fixture.tenants[1]!
    const made = raw.create({ tenantId: tenant.id, adminKeyId: tenant.principal.keyId!, name: 'Raw', externalId: 'raw-1', email: 'Raw-1@Example.com' })
    const user = await roster.users.get(tenant.principal, made.id)
    assert.equal(user.email, 'Raw-1@Example.com')
    assert.equal(user.adminKeyId, tenant.principal.keyId)
    const next = await roster.users.create(tenant.principal, { name: 'Next', email: 'raw-1@example.com' }).catch((e: Error) => e)
    assert.equal((next as { code?: string }).code, 'conflict')
    const after = await roster.users.create(tenant.principal, { name: 'Next' })
    assert.equal(after.number, made.number + 1)
  })

  it('looks up the same admin key roster authenticates', async () => {
    const tenant = fixture.tenants[0]!
    const principal = await roster.authenticate(tenant.secret)
    assert.equal(principal.kind === 'admin' && principal.keyId, raw.keyByHash(tenant.secretHash)?.id)
    assert.equal(raw.keyByHash('0'.repeat(64)), undefined)
  })
})

describe('benchmark: figures and output', () => {
  it('judges a figure on its ratio rounded to three places', () => {
    const figure = rateFigure('x.y', { value: 499.6, baseline: 1000 }, 0.5)
    assert.deepEqual(figure, { figure: 'x.y', value: 500, unit: 'ops/s', baseline: 1000, ratio: 0.5, target: 0.5, met: true })
    assert.equal(rateFigure('x.y', { value: 490, baseline: 1000 }, 0.5).met, false)
  })

  it('prints one JSON line with the documented keys in order', () => {
    const line = formatJsonLine({ ...rateFigure('a.b', { value: 3, baseline: 4 }, 0.7), extra: 1 } as never)
    assert.deepEqual(Object.keys(JSON.parse(line)), ['figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'met'])
    assert.ok(!line.includes('\n'))
  })

  it('marks a missed target in the table', () => {
    const table = formatTable([rateFigure('a.ok', { value: 9, baseline: 10 }, 0.5), rateFigure('a.slow', { value: 1, baseline: 10 }, 0.5)])
    const [, , ok, slow] = table.split('\n')
    assert.match(ok!, /^a\.ok .* yes$/)
    assert.match(slow!, /^a\.slow .*NO {2}<-- target missed$/)
  })

  it('takes the median of an odd or even number of rounds', () => {
    assert.equal(median([5, 1, 3]), 3)
    assert.equal(median([4, 1, 3, 2]), 2.5)
  })

  it('stops a measured run at its operation count, sync or async', async () => {
    let calls = 0
    await opsPerSecond(() => calls++, { ms: 60_000, count: 16 })
    assert.equal(calls, 17) // one first call tells a sync op from an async one
    calls = 0
    await opsPerSecond(async () => calls++, { ms: 60_000, count: 16 })
    assert.equal(calls, 17)
  })

  it('cycles through its items in order, forever', () => {
    const next = cycle(['a', 'b'])
    assert.deepEqual([next(), next(), next()], ['a', 'b', 'a'])
    assert.throws(() => cycle([]))
  })
})
