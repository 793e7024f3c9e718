import type { BenchOptions, Figure, Note, Suite } from '../bench-types.js'
import { openRoster, type Roster } from '../../src/index.js'
import { bulkLoadUsers } from '../lib/bulk-load.js'
import { openRawConnection } from '../lib/raw-connection.js'
import { createTempFolder } from '../lib/temp-folder.js'
import { compareRates, cycle, opsPerSecond, rateFigure, rateOptions } from '../lib/timing.js'
import { compareConcurrent } from './concurrent-rate.js'
import { bulkLoadCredentials, zipfDraws, type LoadedCredentials } from './credentials-fixture.js'
import { prepareRawCredentials, type HourRange, type RawCredentials } from './credentials-raw.js'

const HOUR_MS = 3_600_000
const CALLERS = 100
const VERIFY_TARGET = 0.5
// "Within 2x of the raw SQL": roster's rate at least half the baseline's.
const SUMMARY_TARGET = 0.5

const FULL = { users: 100_000, tenants: 100, credentials: 10_000, usageRows: 1_000_000, hot: 1_000 }
const QUICK = { users: 10_000, tenants: 10, credentials: 1_000, usageRows: 100_000, hot: 200 }

interface Context {
  readonly raw: RawCredentials
  readonly loaded: LoadedCredentials
  readonly options: BenchOptions
  readonly report: (figure: Figure) => void
  readonly note: Note
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
      note('credentials: scale', `${scale.credentials.toLocaleString('en')} credentials, ${scale.usageRows.toLocaleString('en')} hourly usage rows, ${scale.users.toLocaleString('en')} users in ${scale.tenants} tenants, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      // Reads of one event-loop turn share a snapshot, and opening roster read in this turn: written by
      // another connection, the bulk load shows from the next turn.
      await new Promise((resolve) => setImmediate(resolve))
      const context: Context = { raw: prepareRawCredentials(handle), loaded, options, report, note }
      const before = context.raw.totalRequests()
      const { acknowledged, rawMetered } = await verifyFigures(roster, context)
      // Closing commits whatever is pending; then every acknowledged verification must be on disk, once.
      await roster.close()
      const counted = context.raw.totalRequests() - before - rawMetered
      note('credentials: metering', `${acknowledged.toLocaleString('en')} verifications acknowledged, ${counted.toLocaleString('en')} requests counted`)
      if (counted !== acknowledged) throw new Error(`metering lost or invented usage: ${acknowledged} acknowledged, ${counted} counted`)
      const reopened = await openRoster({ path, durability: options.durability })
      try {
        await usageFigures(reopened, context)
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

async function verifyFigures(roster: Roster, { raw, loaded, options, report, note }: Context) {
  let acknowledged = 0
  let rawMetered = 0
  const verify = async (secret: string) => {
    const result = await roster.credentials.verify(secret)
    if (!result.valid) throw new Error(`bench credential refused: ${result.reason}`)
    acknowledged++
    return result
  }
  const [a, b] = [cycle(loaded.hot), cycle(loaded.hot)]
  const first = a()
  b()
  if ((await verify(first.secret)).credential.id !== raw.credentialByHash(first.hash)?.c_id) throw new Error('verify: roster and the raw baseline disagree')
  const sequential = await compareRates(
    () => verify(a().secret),
    () => (rawMetered++, raw.verifyAndMeter(b().hash, Math.floor(Date.now() / HOUR_MS), new Date().toISOString())),
    rateOptions(options),
  )
  report(rateFigure('credentials.verify_meter_sequential', sequential, VERIFY_TARGET))

  // Keys drawn Zipf-like over the hot credentials: a few carry most of the traffic, as in real APIs.
  const draws = zipfDraws(loaded.hot.length, 1 << 16).map((i) => loaded.hot[i]!)
  const [c, d, e] = [cycle(draws), cycle(draws), cycle(draws)]
  const concurrent = await compareConcurrent(() => verify(c().secret), () => raw.credentialByHash(d().hash), CALLERS, rateOptions(options))
  report(rateFigure('credentials.verify_meter_100_concurrent', concurrent, VERIFY_TARGET))
  const plain = await opsPerSecond(() => raw.plainCredentialByHash(e().hash), 500)
  note('credentials: raw plain select by hash', `${Math.round(plain).toLocaleString('en')} ops/s without the user and tenant (100-concurrent verify+meter is ${(concurrent.value / plain).toFixed(2)}x of it)`)
  return { acknowledged, rawMetered }
}

async function usageFigures(roster: Roster, { raw, loaded, options, report }: Context) {
  const principal = roster.principals.tenant(loaded.largest.id)
  const now = Date.now()
  const day = { from: new Date(now - 24 * HOUR_MS).toISOString(), to: new Date(now).toISOString() }
  const dayRange: HourRange = { fromHour: Math.floor((now - 24 * HOUR_MS) / HOUR_MS), toHour: Math.ceil(now / HOUR_MS) }
  const at = new Date(now)
  const monthRange: HourRange = {
    fromHour: Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) / HOUR_MS,
    toHour: Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) / HOUR_MS,
  }
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
    const rawRequests = 'totals' in fromRaw ? Number(fromRaw.totals.requests ?? 0) : fromRaw.byCredential.reduce((sum, row) => sum + Number(row.requests), 0)
    if (fromRoster.totals.requests !== rawRequests || rawRequests === 0) throw new Error(`${f.figure}: roster counted ${fromRoster.totals.requests}, raw ${rawRequests}`)
    report(rateFigure(f.figure, await compareRates(f.roster, f.raw, { ...rateOptions(options), roundOps: 2_000 }), SUMMARY_TARGET))
  }
}
