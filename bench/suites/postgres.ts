import pg from 'pg'
import type { Suite } from '../bench-types.js'
import { openRoster, type Roster } from '../../src/index.js'
import { hashSecret } from '../../src/core/secrets.js'
import { compareRates, cycle, rateFigure, rateOptions, type Op } from '../lib/timing.js'
import { benchDatabase, BOOTSTRAP_KEY, load, SECRET_KEY, type Tenant } from './postgres-fixture.js'
import { rawPostgres } from './postgres-raw.js'

/*
 * The users and credentials figures on PostgreSQL (`npm run bench -- --postgres URL`): roster over a new
 * database on that server beside raw `pg` on a pool of the same size, in the same run, sending the
 * statements roster sends (postgres-raw.ts): the same reads alone or in the same snapshot, the same
 * create with its audit entry in a transaction at the same level, the same usage upsert alone. What
 * the ratio prices is the code between the caller and the driver.
 */

const READ_TARGET = 0.5
const CREATE_TARGET = 0.7

/** Runs only with --postgres URL: the server must let the URL's role create a database. */
export function postgresSuite(url: string): Suite {
  return {
    name: 'postgres',
    async run(options, report, note) {
      const scale = options.quick ? { users: 2_000, tenants: 4 } : { users: 20_000, tenants: 10 }
      const database = await benchDatabase(url)
      const { connectionString } = database
      let roster: Roster | null = null
      const raw = new pg.Pool({ connectionString, max: 10 })
      // Dropping the database ends connections the pool may not have closed yet; as roster's own pool does, ignore that.
      raw.on('error', () => {})
      try {
        roster = await openRoster({ postgres: { connectionString }, secretKey: SECRET_KEY, bootstrapKey: BOOTSTRAP_KEY })
        const started = performance.now()
        const tenants = await load(roster, raw, scale)
        note('postgres: scale', `${scale.users.toLocaleString('en')} users in ${scale.tenants} tenants, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
        const server = (await raw.query('show server_version')).rows[0].server_version
        note('postgres: server', `PostgreSQL ${server}, pool of 10 on both sides, one call at a time`)
        const benches = figures(roster, raw, tenants)
        for (const [figure, targetRatio, pair] of benches) {
          report(rateFigure(figure, await compareRates(pair.roster, pair.raw, { ...rateOptions(options), roundOps: 2000 }), targetRatio))
        }
      } finally {
        await roster?.close()
        await raw.end()
        await database.drop()
      }
    },
  }
}

type Pair = { roster: Op; raw: Op }

function figures(roster: Roster, pool: pg.Pool, tenants: readonly Tenant[]): [string, number, Pair][] {
  const raw = rawPostgres(pool)
  const byId = cycle(tenants.flatMap((t) => t.userIds.map((id) => ({ t, id }))))
  const byIdRaw = cycle(tenants.flatMap((t) => t.userIds.map((id) => ({ t, id }))))
  const [a, b] = [cycle(tenants), cycle(tenants)]
  let n = 0
  return [
    ['pg.users.get_by_id', READ_TARGET, {
      roster: () => { const { t, id } = byId(); return roster.users.get(t.principal, id) },
      raw: () => { const { t, id } = byIdRaw(); return raw.getById(t.id, id) },
    }],
    ['pg.users.list_first_page', READ_TARGET, {
      roster: () => roster.users.list(a().principal, { limit: 50 }),
      raw: () => raw.list(b().id, 50),
    }],
    ['pg.users.create', CREATE_TARGET, {
      roster: () => { const i = n++; return roster.users.create(a().principal, { name: 'Bench User', externalId: `r-${i}`, email: `r-${i}@example.com` }) },
      raw: () => { const t = b(); const i = n++; return raw.create(t.id, t.principal.keyId!, { name: 'Bench User', externalId: `w-${i}`, email: `w-${i}@example.com` }) },
    }],
    ['pg.auth.authenticate', READ_TARGET, {
      roster: () => roster.authenticate(a().secret),
      raw: () => raw.keyByHash(hashSecret(b().secret)),
    }],
    ['pg.credentials.verify', READ_TARGET, {
      roster: () => roster.credentials.verify(a().credential),
      raw: () => raw.verify(hashSecret(b().credential)),
    }],
  ]
}
