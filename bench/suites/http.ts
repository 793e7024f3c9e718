import { copyFileSync } from 'node:fs'
import os from 'node:os'
import Database from 'better-sqlite3'
import type { BenchOptions, Figure, Suite } from '../bench-types.js'
import { openRoster } from '../../src/index.js'
import { startChildServer, type ChildServer } from '../lib/child-server.js'
import { percentile, runLoad, type LoadRequest, type LoadResult } from '../lib/http-load.js'
import { createTempFolder } from '../lib/temp-folder.js'
import { median, rateFigure } from '../lib/timing.js'
import { loadScaleTenant } from './scale-fixture.js'

const USERS = 20_000
const READERS = 50
const WRITERS = 32
const MIXED_CLIENTS = 200
const MIXED_MS = 10_000
// An Idempotency-Key costs a create two more (grouped) transactions: claiming the key and keeping the answer.
const TARGETS = { read: 0.8, createVsFull: 2, createVsNormal: 1, idempotentVsPlain: 0.5 } as const
const MIXED_LIMITS = { p99: 250, max: 1000 } as const

interface Sides {
  readonly roster: ChildServer
  readonly bare: ChildServer
}

/** Windows of `ms` under `connections` clients, roster and the bare server taking turns; the median rate of each. */
async function alternate(sides: Sides, key: string, connections: number, next: (side: string) => (i: number) => LoadRequest, options: BenchOptions) {
  const { rounds, ms, warmup } = options.quick ? { rounds: 3, ms: 1_000, warmup: 500 } : { rounds: 5, ms: 3_000, warmup: 1_000 }
  const run = async (side: 'roster' | 'bare', window: number): Promise<LoadResult> => {
    const result = await runLoad({ url: sides[side].url, key, connections, ms: window, next: next(side) })
    if (result.errors > 0) throw new Error(`${side}: ${result.errors} failed requests, e.g. ${result.samples.join('; ')}`)
    return result
  }
  await run('roster', warmup)
  await run('bare', warmup)
  const rates = { roster: [] as number[], bare: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? (['bare', 'roster'] as const) : (['roster', 'bare'] as const)) rates[side].push((await run(side, ms)).rate)
  }
  return { value: median(rates.roster), baseline: median(rates.bare) }
}

/** A figure whose value must stay at or under `limit` (latencies, errors): ratio = limit / value, met at 1 or more. */
function limitFigure(figure: string, value: number, unit: string, limit: number): Figure {
  const ratio = value === 0 ? (limit === 0 ? 1 : Infinity) : Math.round((limit / value) * 1000) / 1000
  return { figure, value: Math.round(value * 10) / 10, unit, baseline: limit, ratio: Number.isFinite(ratio) ? ratio : 999, target: 1, met: value <= limit }
}

/**
 * roster's own server (node:http + createHttpHandler, each in a child process) against a bare node:http +
 * better-sqlite3 server running the same SQL on a copy of the same file, windows alternating under the
 * same load; then 200 mixed clients against roster alone.
 */
export const httpSuite: Suite = {
  name: 'http',
  async run(options, report, note) {
    const folder = createTempFolder('http')
    const files = { roster: folder.file('roster.db'), full: folder.file('bare-full.db'), normal: folder.file('bare-normal.db') }
    const servers: ChildServer[] = []
    try {
      await (await openRoster({ path: files.roster })).close()
      const handle = new Database(files.roster)
      const { tenantId } = loadScaleTenant(handle, USERS)
      const ids = handle.prepare('select id from users where tenant_id = ? order by random() limit 1000').pluck().all(tenantId) as string[]
      handle.close()
      const setup = await openRoster({ path: files.roster })
      const { secret: key } = await setup.keys.create(setup.principals.tenant(tenantId), { name: 'bench' })
      await setup.close()
      copyFileSync(files.roster, files.full)
      copyFileSync(files.roster, files.normal)
      note('http: scale', `${USERS.toLocaleString('en')} users in one tenant; ${READERS} connections for reads, ${WRITERS} for creates; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)

      const start = async (script: string, path: string, durability: string) => {
        const server = await startChildServer(script, [path, durability])
        servers.push(server)
        return server
      }
      const roster = await start('bench/servers/roster-server.ts', files.roster, options.durability)
      const bareFull = await start('bench/servers/bare-server.ts', files.full, 'full')
      const bareNormal = await start('bench/servers/bare-server.ts', files.normal, 'normal')
      const bareReads = options.durability === 'full' ? bareFull : bareNormal

      const byId = () => (i: number): LoadRequest => ({ method: 'GET', path: `/v1/admin/users/${ids[i % ids.length]}` })
      const listPage = () => (): LoadRequest => ({ method: 'GET', path: '/v1/admin/users?limit=50' })
      const iamPage = () => (): LoadRequest => ({ method: 'GET', path: '/api/v3/iam/accounts?page[size]=50&count=true' })
      let created = 0
      const create = (side: string) => (): LoadRequest => {
        const n = created++
        return { method: 'POST', path: '/v1/admin/users', body: { name: `Bench ${n}`, external_id: `http-${side}-${n}`, email: `http-${side}-${n}@example.com` } }
      }

      const reads: [string, () => (i: number) => LoadRequest][] = [['http.get_by_id', byId], ['http.list_page', listPage], ['http.iam_page_count', iamPage]]
      for (const [figure, next] of reads) {
        report(rateFigure(figure, await alternate({ roster, bare: bareReads }, key, READERS, next, options), TARGETS.read))
      }
      report(rateFigure('http.create_32_vs_bare_full', await alternate({ roster, bare: bareFull }, key, WRITERS, create, options), TARGETS.createVsFull))
      // Both sides are roster: creates sending an Idempotency-Key against the same creates without one.
      let keyed = 0
      const idempotent = (side: string) => (): LoadRequest => {
        const request = create(side)()
        return side === 'roster' ? { ...request, headers: { 'idempotency-key': `bench-${process.pid}-${keyed++}` } } : request
      }
      report(rateFigure('http.create_32_idempotent_vs_plain', await alternate({ roster, bare: roster }, key, WRITERS, idempotent, options), TARGETS.idempotentVsPlain))
      report(rateFigure('http.create_32_vs_bare_normal', await alternate({ roster, bare: bareNormal }, key, WRITERS, create, options), TARGETS.createVsNormal))

      // 200 clients at once, each picking a get, a list page, a create or a patch, for 10 s against roster alone.
      const kinds = ['get', 'get', 'get', 'get', 'list', 'list', 'list', 'create', 'create', 'patch'] as const
      const counts = { get: 0, list: 0, create: 0, patch: 0 }
      const mixed = await runLoad({
        url: roster.url, key, connections: MIXED_CLIENTS, ms: MIXED_MS,
        next: (i) => {
          const kind = kinds[(i * 7) % kinds.length]!
          counts[kind]++
          const id = ids[i % ids.length]
          if (kind === 'get') return { method: 'GET', path: `/v1/admin/users/${id}` }
          if (kind === 'list') return { method: 'GET', path: '/v1/admin/users?limit=50' }
          if (kind === 'create') return create('mixed')()
          return { method: 'PATCH', path: `/v1/admin/users/${id}`, body: { billing_plan: i % 2 === 0 ? 'pro' : 'free' } }
        },
      })
      note('http.mixed_200', `${mixed.answered.toLocaleString('en')} answered in ${MIXED_MS / 1000} s (${Math.round(mixed.rate)}/s: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}), p50 ${percentile(mixed.latencies, 0.5).toFixed(1)} ms${mixed.samples.length > 0 ? `; failures: ${mixed.samples.join('; ')}` : ''}`)
      report(limitFigure('http.mixed_200.errors', mixed.errors, 'errors', 0))
      report(limitFigure('http.mixed_200.p99', percentile(mixed.latencies, 0.99), 'ms', MIXED_LIMITS.p99))
      report(limitFigure('http.mixed_200.max', mixed.latencies.at(-1) ?? 0, 'ms', MIXED_LIMITS.max))
      note('http: load average after', os.loadavg().map((l) => l.toFixed(1)).join(' '))
    } finally {
      for (const server of servers) await server.stop().catch(() => {})
      folder.remove()
    }
  },
}
