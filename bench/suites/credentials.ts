import type { BenchOptions, Figure, Suite } from '../bench-types.js'
import { openRoster, type Roster } from '../../src/index.js'
import { bulkLoadUsers } from '../lib/bulk-load.js'
import { openRawConnection } from '../lib/raw-connection.js'
import { createTempFolder } from '../lib/temp-folder.js'
import { compareRates, cycle, median, opsPerSecond, rateFigure, rateOptions, type RateOptions } from '../lib/timing.js'
import { bulkLoadCredentials, zipfDraws, type LoadedCredentials } from './credentials-fixture.js'
import { prepareRawCredentials, type HourRange, type RawCredentials } from './credentials-raw.js'

const HOUR_MS = 3_600_000
const CALLERS = 100
const VERIFY_TARGET = 0.5
// "Within 2x of the raw SQL": roster's rate at least half the baseline's.
const SUMMARY_TARGET = 0.5

const FULL = { users: 100_000, tenants: 100, credentials: 10_000, usageRows: 1_000_000, hot: 1_000 }
const QUICK = { users: 10_000, tenants: 10, credentials: 1_000, usageRows: 100_000, hot: 200 }

/** Counts every verification roster acknowledged, so the bench can check that metering counted each one. */
interface Tally {
  verified: number
}

/** Verification with metering, and usage reports, at 10,000 credentials and 1,000,000 hourly usage rows (quick: a tenth). */
export const credentialsSuite: Suite = {
  name: 'credentials',
  async run(options, report, note) {
    const scale = options.quick ? QUICK : FULL
    const folder = createTempFolder('credentials')
    const path = folder.file('roster.db')
    const roster = await openRoster({ path, durability: options.durability })
    const handle = openRawConnection(path, options.durability)
    try {
      const started = performance.now()
      const loaded = bulkLoadCredentials(handle, bulkLoadUsers(handle, scale), scale)
      note('credentials: scale', `${scale.credentials.toLocaleString('en')} credentials, ${scale.usageRows.toLocaleString('en')} hourly usage rows over ${scale.users.toLocaleString('en')} users in ${scale.tenants} tenants, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      const raw = prepareRawCredentials(handle)
      const before = raw.totalRequests()
      const tally: Tally = { verified: 0 }
      const rawMetered = { count: 0 }
      await verifyFigures(roster, raw, loaded, options, report, note, tally, rawMetered)
      await roster.close()
      const counted = raw.totalRequests() - before - rawMetered.count
      note('credentials: metering', `${tally.verified.toLocaleString('en')} verifications acknowledged, ${counted.toLocaleString('en')} requests counted`)
      if (counted !== tally.verified) throw new Error(`metering lost or invented usage: ${tally.verified} verified, ${counted} counted`)
      const reopened = await openRoster({ path, durability: options.durability })
      try {
        await usageFigures(reopened, raw, loaded, options, report)
      } finally {
        await reopened.close()
      }
    } finally {
      await roster.close()
      handle.close()
      folder.remove()
    }
  },
}

async function verifyFigures(
  roster: Roster, raw: RawCredentials, loaded: LoadedCredentials, options: BenchOptions,
  report: (figure: Figure) => void, note: (label: string, value: string) => void, tally: Tally, rawMetered: { count: number },
): Promise<void> {
  const draws = zipfDraws(loaded.hot.length, 1 << 16).map((i) => loaded.hot[i]!)
  const verify = async (secret: string) => {
    const result = await roster.credentials.verify(secret)
    if (!result.valid) throw new Error(`bench credential refused: ${result.reason}`)
    tally.verified++
    return result
  }
  const [a, b] = [cycle(loaded.hot), cycle(loaded.hot)]
  const first = a()
  const checked = await verify(first.secret)
  if (checked.credential.id !== raw.credentialByHash(first.hash)?.c_id) throw new Error('verify: roster and the raw baseline disagree')
  b()
  const hour = () => Math.floor(Date.now() / HOUR_MS)
  const sequential = await compareRates(
    () => verify(a().secret),
    () => (rawMetered.count++, raw.verifyAndMeter(b().hash, hour(), new Date().toISOString())),
    rateOptions(options),
  )
  report(rateFigure('credentials.verify_meter_sequential', sequential, VERIFY_TARGET))

  const [c, d] = [cycle(draws), cycle(draws)]
  const concurrent = await compareConcurrent(() => verify(c().secret), () => raw.credentialByHash(d().hash), rateOptions(options))
  report(rateFigure('credentials.verify_meter_100_concurrent', concurrent, VERIFY_TARGET))
  const plain = cycle(draws)
  note('credentials: raw plain select by hash', `${Math.round(await opsPerSecond(() => raw.plainCredentialByHash(plain().hash), 500)).toLocaleString('en')} ops/s (no join; the figure's baseline is roster's own lookup SQL)`)
}

/**
 * 100 callers each awaiting verify in a loop, against the raw lookup in a plain loop, in alternating
 * rounds; the median rate of each side.
 */
async function compareConcurrent(verify: () => Promise<unknown>, raw: () => unknown, options: RateOptions): Promise<{ value: number; baseline: number }> {
  await concurrentRate(verify, options.warmupMs)
  await opsPerSecond(raw, options.warmupMs)
  const [rosterRates, rawRates] = [[] as number[], [] as number[]]
  for (let round = 0; round < options.rounds; round++) {
    if (round % 2 === 0) rawRates.push(await opsPerSecond(raw, options.roundMs))
    rosterRates.push(await concurrentRate(verify, options.roundMs))
    if (round % 2 === 1) rawRates.push(await opsPerSecond(raw, options.roundMs))
  }
  return { value: median(rosterRates), baseline: median(rawRates) }
}

async function concurrentRate(op: () => Promise<unknown>, ms: number): Promise<number> {
  let count = 0
  const start = performance.now()
  let elapsed = 0
  const caller = async () => {
    while (elapsed < ms) {
      await op()
      count++
      elapsed = performance.now() - start
    }
  }
  await Promise.all(Array.from({ length: CALLERS }, caller))
  return (count * 1000) / (performance.now() - start)
}

async function usageFigures(roster: Roster, raw: RawCredentials, loaded: LoadedCredentials, options: BenchOptions, report: (figure: Figure) => void) {
  const principal = roster.principals.tenant(loaded.largest.id)
  const now = Date.now()
  const day = { from: new Date(now - 24 * HOUR_MS).toISOString(), to: new Date(now).toISOString() }
  const dayRange: HourRange = { fromHour: Math.floor((now - 24 * HOUR_MS) / HOUR_MS), toHour: Math.ceil(now / HOUR_MS) }
  const at = new Date(now)
  const monthStart = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)
  const monthRange: HourRange = { fromHour: monthStart / HOUR_MS, toHour: Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) / HOUR_MS }
  const figures = [
    {
      figure: 'usage.summary_largest_tenant_24h',
      roster: () => roster.usage.summary(principal, day),
      raw: () => raw.summary(loaded.largest.id, dayRange, 50),
    },
    {
      figure: 'usage.summary_largest_tenant_month',
      roster: () => roster.usage.summary(principal, {}),
      raw: () => raw.summary(loaded.largest.id, monthRange, 50),
    },
    {
      figure: 'usage.user_month',
      roster: () => roster.usage.forUser(principal, loaded.busiestUserId, {}),
      raw: () => raw.userUsage(loaded.largest.id, loaded.busiestUserId, monthRange),
    },
  ]
  for (const f of figures) {
    const [fromRoster, fromRaw] = [await f.roster(), f.raw()]
    const rosterRequests = fromRoster.totals.requests
    const rawRequests = 'totals' in fromRaw ? Number(fromRaw.totals.requests ?? 0) : fromRaw.byCredential.reduce((sum, row) => sum + Number(row.requests), 0)
    if (rosterRequests !== rawRequests || rosterRequests === 0) throw new Error(`${f.figure}: roster counted ${rosterRequests}, raw ${rawRequests}`)
    report(rateFigure(f.figure, await compareRates(f.roster, f.raw, { ...rateOptions(options), roundOps: 2_000 }), SUMMARY_TARGET))
  }
}
