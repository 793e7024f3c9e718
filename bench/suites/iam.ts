import type Database from 'better-sqlite3'
import type { Figure, Suite } from '../bench-types.js'
import { openRoster, type Roster } from '../../src/index.js'
import type { AccountPage } from '../../src/core/accounts/account-list.js'
import type { AdminPrincipal } from '../../src/core/principal.js'
import { openRawConnection } from '../lib/raw-connection.js'
import { createTempFolder } from '../lib/temp-folder.js'
import { compareRates, rateOptions, type Op } from '../lib/timing.js'
import { IAM_EPOCH, loadIamAccounts } from './iam-fixture.js'

const PAGE = 50
const TARGET = 0.5
// Goal of the issue: a filtered, sorted, counted page at 1M accounts answers in well under this.
const GOAL_MS = 100

type Row = { number: number; created_at: string }

/** The list every figure asks for: one type, enabled, created in the newest quarter, newest first, counted. */
function listInput(since: string) {
  return { filter: { account_type: 'user', enabled: 'true', created_at__gte: since }, sort: '-created_at', count: true }
}

const COLUMNS = `users.id as user_id, users.tenant_id, users.number, users.email, users.first_name, users.last_name, users.name,
  users.account_type, users.auth_type, users.status, users.created_at, users.expires_at, coalesce(users.updated_at, users.created_at) as updated_at`
const WHERE = `users.tenant_id = @tenantId and users.account_type = @type and users.status = 'active' and users.created_at >= @since`
// Ties fall to id in the key's direction, ordered by rowid (id order within a tenant), as roster orders them.
const ORDER = 'order by users.created_at desc, users.rowid desc'

/** The SQL roster's account repository runs for that list, prepared once on a second connection. */
function prepareRawIam(handle: Database.Database) {
  const count = handle.prepare(`select count(*) as total from users where ${WHERE}`)
  const first = handle.prepare(`select ${COLUMNS} from users where ${WHERE} ${ORDER} limit @limit`)
  const offset = handle.prepare(`select ${COLUMNS} from users where users.rowid in (select users.rowid as rid from users where ${WHERE} ${ORDER}
    limit @limit offset @offset) order by +users.created_at desc, +users.rowid desc`)
  const seek = handle.prepare(`select ${COLUMNS} from users where ${WHERE} and users.created_at <= @k0
    and (users.created_at < @k0 or (users.created_at = @k0 and users.number < @k1)) ${ORDER} limit @limit`)
  const args = (tenantId: string, since: string) => ({ tenantId, type: 'user', since, limit: PAGE })
  return {
    first: (tenantId: string, since: string) => ({ rows: first.all(args(tenantId, since)) as Row[], total: (count.get(args(tenantId, since)) as { total: number }).total }),
    offset: (tenantId: string, since: string, skip: number) =>
      ({ rows: offset.all({ ...args(tenantId, since), offset: skip }) as Row[], total: (count.get(args(tenantId, since)) as { total: number }).total }),
    seek: (tenantId: string, since: string, after: Row) =>
      ({ rows: seek.all({ ...args(tenantId, since), k0: after.created_at, k1: after.number }) as Row[], total: (count.get(args(tenantId, since)) as { total: number }).total }),
  }
}

function samePage(page: AccountPage, raw: { rows: Row[]; total: number }): boolean {
  return page.accounts.length === PAGE && page.total === raw.total &&
    page.accounts.every((account, i) => account.id === raw.rows[i]?.number)
}

/** A time figure (ms per call, lower is better): ratio = raw ms / roster ms, as bench-types defines for times. */
function timeFigure(figure: string, rates: { value: number; baseline: number }): Figure {
  const value = Math.round((1000 / rates.value) * 1000) / 1000
  const baseline = Math.round((1000 / rates.baseline) * 1000) / 1000
  const ratio = Math.round((rates.value / rates.baseline) * 1000) / 1000
  return { figure, value, unit: 'ms', baseline, ratio, target: TARGET, met: ratio >= TARGET }
}

/** IAM account lists at 1,000,000 accounts in one tenant plus 100 small tenants (quick: 50,000 and 10). */
export const iamSuite: Suite = {
  name: 'iam',
  async run(options, report, note) {
    const scale = options.quick ? { accounts: 50_000, tenants: 10, others: 5_000 } : { accounts: 1_000_000, tenants: 100, others: 50_000 }
    const folder = createTempFolder('iam')
    const path = folder.file('roster.db')
    let roster: Roster | null = await openRoster({ path, durability: options.durability })
    const handle = openRawConnection(path, options.durability)
    try {
      const started = performance.now()
      const fixture = loadIamAccounts(handle, scale)
      handle.pragma('optimize')
      // Reopened so roster plans against the loaded data, as a long-running installation would.
      await roster.close()
      roster = await openRoster({ path, durability: options.durability })
      const key = await roster.keys.create(roster.principals.tenant(fixture.bigTenantId), { name: 'bench' })
      const principal = (await roster.authenticate(key.secret)) as AdminPrincipal
      note('iam: scale', `${scale.accounts.toLocaleString('en')} accounts in one tenant + ${scale.others.toLocaleString('en')} in ${scale.tenants} tenants, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      const since = new Date(IAM_EPOCH + Math.floor(scale.accounts * 0.75) * 30_000).toISOString()
      const input = listInput(since)
      const raw = prepareRawIam(handle)
      const firstPage = await roster.accounts.list(principal, { ...input, page: { size: PAGE } })
      const total = firstPage.total ?? 0
      // The deep page: the last full page of the matching accounts.
      const deepNumber = Math.floor(total / PAGE)
      const deepPage = await roster.accounts.list(principal, { ...input, page: { size: PAGE, number: deepNumber - 1 } })
      const cursor = deepPage.nextCursor
      const before = raw.offset(fixture.bigTenantId, since, (deepNumber - 2) * PAGE).rows.at(-1)
      if (!cursor || !before) throw new Error('iam: no deep page to measure')
      note('iam: matching accounts', `${total.toLocaleString('en')}; deep page number ${deepNumber}`)
      const pairs: [string, () => Promise<AccountPage>, () => { rows: Row[]; total: number }][] = [
        ['iam.list_filtered_first_page', () => roster!.accounts.list(principal, { ...input, page: { size: PAGE } }),
          () => raw.first(fixture.bigTenantId, since)],
        ['iam.list_filtered_deep_page_number', () => roster!.accounts.list(principal, { ...input, page: { size: PAGE, number: deepNumber } }),
          () => raw.offset(fixture.bigTenantId, since, (deepNumber - 1) * PAGE)],
        ['iam.list_filtered_deep_page_cursor', () => roster!.accounts.list(principal, { ...input, page: { size: PAGE, after: cursor } }),
          () => raw.seek(fixture.bigTenantId, since, before)],
      ]
      const timing = { ...rateOptions(options), roundOps: options.quick ? 200 : 100 }
      for (const [figure, fromRoster, fromRaw] of pairs) {
        if (!samePage(await fromRoster(), fromRaw())) throw new Error(`${figure}: roster and the raw baseline disagree`)
        const measured = timeFigure(figure, await compareRates(fromRoster as Op, fromRaw as Op, timing))
        note(figure, `${measured.value} ms through roster, ${measured.baseline} ms raw (${measured.value < GOAL_MS ? 'within' : 'OVER'} the ${GOAL_MS} ms goal)`)
        report(measured)
      }
    } finally {
      await roster?.close()
      handle.close()
      folder.remove()
    }
  },
}
