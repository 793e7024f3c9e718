import Database from 'better-sqlite3'
import type { Figure, Suite } from '../bench-types.js'
import { openRoster, type Roster } from '../../src/index.js'
import type { AdminPrincipal } from '../../src/core/principal.js'
import { encodeCursor } from '../../src/core/users/user-list-query.js'
import { createTempFolder } from '../lib/temp-folder.js'
import { compareRates, rateOptions, type Op } from '../lib/timing.js'
import { bulkLoadUsage, currentMonthHours, loadScaleTenant, SCALE } from './scale-fixture.js'

// Growth target of the issue: each figure at the large size costs at most twice its cost at 10,000 users.
const TARGET = 0.5
/** Users with usage this month, at every size; the hourly rows behind them grow with the size. */
const USAGE_USERS = 1_500

interface Sized {
  readonly users: number
  readonly roster: Roster
  readonly admin: AdminPrincipal
  readonly usageRequests: number
}

type Check = (result: unknown, sized: Sized) => void

const expect = (condition: boolean, message: string) => {
  if (!condition) throw new Error(message)
}

/** Each figure of the table, as a roster call on a tenant of any size, and a check that it answers right. */
const FIGURES: readonly [string, (s: Sized) => Op, Check][] = [
  ['scale.users_list_first_page', (s) => () => s.roster.users.list(s.admin, { limit: 50 }),
    (r, s) => expect((r as { total: number }).total === s.users, 'total')],
  ['scale.users_list_status_total', (s) => () => s.roster.users.list(s.admin, { status: 'suspended', limit: 50 }),
    (r, s) => expect((r as { total: number }).total === Math.floor(s.users / 50), 'suspended total')],
  ['scale.users_list_deep_cursor', (s) => () => s.roster.users.list(s.admin, { limit: 50, cursor: encodeCursor(200) }),
    (r) => expect((r as { users: unknown[] }).users.length === 50, 'deep page')],
  ['scale.users_list_q_1pct', (s) => () => s.roster.users.list(s.admin, { q: SCALE.rareDomain, limit: 50 }),
    (r) => expect((r as { users: unknown[] }).users.length === 50, 'q page')],
  ['scale.iam_email_match_1pct', (s) => () => s.roster.accounts.list(s.admin, { filter: { email__match: SCALE.rareDomain }, page: { size: 50 } }),
    (r) => expect((r as { accounts: unknown[] }).accounts.length === 50, 'email__match page')],
  ['scale.iam_role_name_10pct_count', (s) => () => s.roster.accounts.list(s.admin, { filter: { role_name: SCALE.role }, page: { size: 50 }, count: true }),
    (r, s) => expect((r as { total: number }).total === Math.floor((s.users + 7) / 10), 'role holders')],
  ['scale.iam_ou_accounts_10pct_count', (s) => () => s.roster.accounts.list(s.admin, { filter: { ou_accounts: SCALE.group }, page: { size: 50 }, count: true }),
    (r, s) => expect((r as { total: number }).total === Math.floor((s.users + 5) / 10), 'group members')],
  ['scale.iam_page_count', (s) => () => s.roster.accounts.list(s.admin, { page: { size: 50 }, count: true }),
    (r, s) => expect((r as { total: number }).total === s.users, 'accounts total')],
  ['scale.usage_summary_month', (s) => () => s.roster.usage.summary(s.admin, {}),
    (r, s) => expect((r as { totals: { requests: number } }).totals.requests === s.usageRequests, 'usage totals')],
]

async function prepare(folder: ReturnType<typeof createTempFolder>, users: number, durability: 'full' | 'normal'): Promise<Sized> {
  const path = folder.file(`scale-${users}.db`)
  await (await openRoster({ path, durability })).close()
  const handle = new Database(path)
  const { tenantId } = loadScaleTenant(handle, users)
  const usageRequests = bulkLoadUsage(handle, tenantId, { users: USAGE_USERS, hourlyRows: users })
  handle.close()
  // Opened after the load, so its open-time PRAGMA optimize sees the data, as a long-running installation's would.
  const roster = await openRoster({ path, durability })
  return { users, roster, admin: roster.principals.tenant(tenantId), usageRequests }
}

/**
 * One tenant at 10,000 users and at 1,000,000 (quick: 200,000): every list, search, count and summary
 * figure at both sizes, measured in alternating rounds, and how much it grew. `value` is the large size's
 * ms, `baseline` the small size's; the ratio small ÷ large must stay at or above 0.5 (at most 2× growth).
 */
export const scaleSuite: Suite = {
  name: 'scale',
  async run(options, report, note) {
    const sizes = options.quick ? [10_000, 200_000] : [10_000, 1_000_000]
    const folder = createTempFolder('scale')
    const opened: Sized[] = []
    try {
      for (const users of sizes) {
        const started = performance.now()
        opened.push(await prepare(folder, users, options.durability))
        note(`scale: ${users.toLocaleString('en')} users`, `one tenant, ${Math.min(users, USAGE_USERS * (currentMonthHours().toHour - currentMonthHours().fromHour)).toLocaleString('en')} hourly usage rows this month over ${USAGE_USERS.toLocaleString('en')} users, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      }
      const [small, large] = opened as [Sized, Sized]
      const timing = { ...rateOptions(options), roundOps: 200 }
      for (const [figure, make, check] of FIGURES) {
        for (const sized of opened) check(await make(sized)(), sized)
        const rates = await compareRates(make(large), make(small), timing)
        const [largeMs, smallMs] = [1000 / rates.value, 1000 / rates.baseline]
        const ratio = Math.round((smallMs / largeMs) * 1000) / 1000
        const result: Figure = {
          figure, value: Math.round(largeMs * 1000) / 1000, unit: `ms at ${large.users / 1000}k (vs ${small.users / 1000}k)`,
          baseline: Math.round(smallMs * 1000) / 1000, ratio, target: TARGET, met: ratio >= TARGET,
        }
        note(figure, `${smallMs.toFixed(3)} ms at ${small.users.toLocaleString('en')} users, ${largeMs.toFixed(3)} ms at ${large.users.toLocaleString('en')}: ${(largeMs / smallMs).toFixed(2)}x growth (target at most 2x)`)
        report(result)
      }
    } finally {
      for (const sized of opened) await sized.roster.close()
      folder.remove()
    }
  },
}
