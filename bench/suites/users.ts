import type { Suite } from '../bench-types.js'
import { openRoster, type Roster, type User, type UserPage } from '../../src/index.js'
import { encodeCursor } from '../../src/core/users/user-list-query.js'
import { bulkLoadUsers } from '../lib/bulk-load.js'
import { openRawConnection } from '../lib/raw-connection.js'
import { createTempFolder } from '../lib/temp-folder.js'
import { compareRates, cycle, rateFigure, rateOptions, type Op } from '../lib/timing.js'
import { prepareUsersFixture, type UsersFixture } from './users-fixture.js'
import { prepareRawUsers, type RawUsers } from './users-raw.js'

const PAGE = 50
// A deep page starts this many users from a tenant's oldest end: nearly the whole tenant paged past.
const DEEP_TAIL = 100
const READ_TARGET = 0.5
const CREATE_TARGET = 0.7

type Row = Record<string, unknown> | undefined
interface Pair {
  readonly roster: Op
  readonly raw: Op
  /** True when the first call of each side agrees, so no figure ever times an error path. */
  readonly agree: (fromRoster: unknown, fromRaw: unknown) => boolean
}
interface UserBench {
  readonly figure: string
  readonly target: number
  make(roster: Roster, raw: RawUsers, fixture: UsersFixture): Pair
}

const sameUser = (user: unknown, row: unknown) => (user as User).id === (row as Row)?.id
const samePage = (page: unknown, list: unknown) => {
  const { users, total } = page as UserPage
  const { rows, total: rawTotal } = list as { rows: Row[]; total: number }
  return users.length === PAGE && users[0]?.id === rows[0]?.id && total === rawTotal
}

const BENCHES: readonly UserBench[] = [
  {
    figure: 'users.create',
    target: CREATE_TARGET,
    make(roster, raw, { tenants }) {
      const [a, b] = [cycle(tenants), cycle(tenants)]
      let n = 0
      return {
        roster: () => {
          const i = n++
          return roster.users.create(a().principal, { name: 'Bench User', externalId: `bench-roster-${i}`, email: `bench-roster-${i}@example.com` })
        },
        raw: () => {
          const i = n++
          const t = b()
          return raw.create({ tenantId: t.id, adminKeyId: t.principal.keyId!, name: 'Bench User', externalId: `bench-raw-${i}`, email: `bench-raw-${i}@example.com` })
        },
        // Both first calls land in the same tenant, so the raw insert takes the number after roster's.
        agree: (user, row) => (user as User).number + 1 === (row as { number: number }).number,
      }
    },
  },
  {
    figure: 'users.get_by_id',
    target: READ_TARGET,
    make(roster, raw, { samples }) {
      const [a, b] = [cycle(samples), cycle(samples)]
      return {
        roster: () => { const s = a(); return roster.users.get(s.tenant.principal, s.id) },
        raw: () => { const s = b(); return raw.getById(s.tenant.id, s.id) },
        agree: sameUser,
      }
    },
  },
  {
    figure: 'users.get_by_external_id',
    target: READ_TARGET,
    make(roster, raw, { samples }) {
      const [a, b] = [cycle(samples), cycle(samples)]
      return {
        roster: () => { const s = a(); return roster.users.getByExternalId(s.tenant.principal, s.externalId) },
        raw: () => { const s = b(); return raw.getByExternalId(s.tenant.id, s.externalId) },
        agree: sameUser,
      }
    },
  },
  {
    figure: 'users.list_first_page',
    target: READ_TARGET,
    make(roster, raw, { tenants }) {
      const [a, b] = [cycle(tenants), cycle(tenants)]
      return {
        roster: () => roster.users.list(a().principal, { limit: PAGE }),
        raw: () => raw.list(b().id, PAGE, 0),
        agree: samePage,
      }
    },
  },
  {
    figure: 'users.list_deep_page',
    target: READ_TARGET,
    make(roster, raw, { tenants }) {
      const deep = tenants.map((t) => ({ t, before: DEEP_TAIL + 1, cursor: encodeCursor(DEEP_TAIL + 1) }))
      const [a, b] = [cycle(deep), cycle(deep)]
      return {
        roster: () => { const d = a(); return roster.users.list(d.t.principal, { limit: PAGE, cursor: d.cursor }) },
        raw: () => { const d = b(); return raw.listBefore(d.t.id, d.before, PAGE) },
        agree: samePage,
      }
    },
  },
  {
    figure: 'users.list_offset_deep_page',
    target: READ_TARGET,
    make(roster, raw, { tenants }) {
      const deep = tenants.map((t) => ({ t, offset: t.users - DEEP_TAIL }))
      const [a, b] = [cycle(deep), cycle(deep)]
      return {
        roster: () => { const d = a(); return roster.users.list(d.t.principal, { limit: PAGE, offset: d.offset }) },
        raw: () => { const d = b(); return raw.list(d.t.id, PAGE, d.offset) },
        agree: samePage,
      }
    },
  },
  {
    figure: 'auth.authenticate',
    target: READ_TARGET,
    make(roster, raw, { tenants }) {
      const [a, b] = [cycle(tenants), cycle(tenants)]
      return {
        roster: () => roster.authenticate(a().secret),
        // The baseline is handed the hash: it does the select alone, roster also hashes the presented key.
        raw: () => raw.keyByHash(b().secretHash),
        agree: (principal, row) => (principal as { keyId: unknown }).keyId === (row as Row)?.id,
      }
    },
  },
]

/** Users and admin-key authentication at 100,000 users in 100 tenants (quick: 10,000 in 10). */
export const usersSuite: Suite = {
  name: 'users',
  async run(options, report, note) {
    const scale = options.quick ? { users: 10_000, tenants: 10 } : { users: 100_000, tenants: 100 }
    const folder = createTempFolder('users')
    const path = folder.file('roster.db')
    const roster = await openRoster({ path, durability: options.durability })
    const handle = openRawConnection(path, options.durability)
    try {
      const started = performance.now()
      const loaded = bulkLoadUsers(handle, scale)
      const fixture = await prepareUsersFixture(roster, handle, loaded)
      note('users: scale', `${scale.users.toLocaleString('en')} users in ${scale.tenants} tenants, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      note('users: rss after load', `${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`)
      const raw = prepareRawUsers(handle)
      for (const bench of BENCHES) {
        const pair = bench.make(roster, raw, fixture)
        if (!pair.agree(await pair.roster(), pair.raw())) throw new Error(`${bench.figure}: roster and the raw baseline disagree`)
        report(rateFigure(bench.figure, await compareRates(pair.roster, pair.raw, rateOptions(options)), bench.target))
      }
    } finally {
      await roster.close()
      handle.close()
      folder.remove()
    }
  },
}
