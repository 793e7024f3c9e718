import os from 'node:os'
import pg from 'pg'
import type { BenchOptions, Suite } from '../bench-types.js'
import { openRoster } from '../../src/index.js'
import { startChildServer, type ChildServer } from '../lib/child-server.js'
import { runLoad, type LoadRequest } from '../lib/http-load.js'
import { median, rateFigure } from '../lib/timing.js'
import { benchDatabase, BOOTSTRAP_KEY, load, SECRET_KEY } from './postgres-fixture.js'

/*
 * The HTTP figures on PostgreSQL: three `roster serve --postgres` processes on one database, as a host
 * with three app servers runs them, beside three bare node:http + `pg` servers (bare-pg-server.ts)
 * sending the same statements to a copy of that database; the load is spread evenly over the three of
 * each side, the two sides taking turns in the same run. The same targets as the SQLite HTTP reads;
 * creates at 0.7x, as for the one-call-at-a-time create.
 */

const PROCESSES = 3
const READERS = 48
const WRITERS = 30
const TARGETS = { read: 0.8, create: 0.7 } as const

type Side = readonly ChildServer[]

/** Windows of `ms` under `connections` clients spread over a side's processes, the sides taking turns; the median rate of each. */
async function alternate(sides: { roster: Side; bare: Side }, key: string, connections: number, next: (side: string) => (i: number) => LoadRequest, options: BenchOptions) {
  // Longer warm-ups than the SQLite suite's: three fresh processes a side share two cores while their code compiles.
  const { rounds, ms, warmup } = options.quick ? { rounds: 3, ms: 1_000, warmup: 2_000 } : { rounds: 5, ms: 3_000, warmup: 3_000 }
  const run = async (side: 'roster' | 'bare', window: number): Promise<number> => {
    const make = next(side)
    const results = await Promise.all(sides[side].map((server) =>
      runLoad({ url: server.url, key, connections: connections / PROCESSES, ms: window, next: make })))
    const errors = results.reduce((sum, r) => sum + r.errors, 0)
    if (errors > 0) throw new Error(`${side}: ${errors} failed requests, e.g. ${results.flatMap((r) => r.samples).join('; ')}`)
    return results.reduce((sum, r) => sum + r.rate, 0)
  }
  await run('roster', warmup)
  await run('bare', warmup)
  const rates = { roster: [] as number[], bare: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? (['bare', 'roster'] as const) : (['roster', 'bare'] as const)) rates[side].push(await run(side, ms))
  }
  return { value: median(rates.roster), baseline: median(rates.bare) }
}

/** Runs only with --postgres URL, after the `postgres` suite. */
export function postgresHttpSuite(url: string): Suite {
  return {
    name: 'postgres-http',
    async run(options, report, note) {
      const users = options.quick ? 2_000 : 20_000
      const database = await benchDatabase(url)
      const servers: ChildServer[] = []
      try {
        const setup = await openRoster({ postgres: { connectionString: database.connectionString }, secretKey: SECRET_KEY, bootstrapKey: BOOTSTRAP_KEY })
        const raw = new pg.Pool({ connectionString: database.connectionString, max: 2 })
        const [tenant] = await load(setup, raw, { users, tenants: 1 }).finally(async () => {
          await setup.close()
          await raw.end()
        })
        const bareDatabase = await database.copy()
        note('postgres-http: scale', `${users.toLocaleString('en')} users in one tenant; ${PROCESSES} processes a side, ${READERS} connections for reads, ${WRITERS} for creates; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)

        const env = { ROSTER_SECRET_KEY: SECRET_KEY, ROSTER_BOOTSTRAP_KEY: BOOTSTRAP_KEY }
        const start = async (script: string, args: string[]) => {
          const server = await startChildServer(script, args, env)
          servers.push(server)
          return server
        }
        const roster: ChildServer[] = []
        const bare: ChildServer[] = []
        for (let i = 0; i < PROCESSES; i++) {
          roster.push(await start('bin/roster.js', ['serve', '--postgres', database.connectionString, '--port', '0', '--quiet']))
          bare.push(await start('bench/servers/bare-pg-server.ts', [bareDatabase.connectionString]))
        }

        const ids = tenant!.userIds
        const byId = () => (i: number): LoadRequest => ({ method: 'GET', path: `/v1/admin/users/${ids[(i * 7) % ids.length]}` })
        const listPage = () => (): LoadRequest => ({ method: 'GET', path: '/v1/admin/users?limit=50' })
        let created = 0
        const create = (side: string) => (): LoadRequest => {
          const n = created++
          return { method: 'POST', path: '/v1/admin/users', body: { name: `Bench ${n}`, external_id: `http-${side}-${n}`, email: `http-${side}-${n}@example.com` } }
        }
        const sides = { roster, bare }
        report(rateFigure('pg.http.get_by_id', await alternate(sides, tenant!.secret, READERS, byId, options), TARGETS.read))
        report(rateFigure('pg.http.list_page', await alternate(sides, tenant!.secret, READERS, listPage, options), TARGETS.read))
        report(rateFigure('pg.http.create', await alternate(sides, tenant!.secret, WRITERS, create, options), TARGETS.create))
        note('postgres-http: load average after', os.loadavg().map((l) => l.toFixed(1)).join(' '))
      } finally {
        for (const server of servers) await server.stop().catch(() => {})
        await database.drop()
      }
    },
  }
}
