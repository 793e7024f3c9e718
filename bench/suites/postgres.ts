import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Suite } from '../bench-types.js'
import { openRoster, type AdminPrincipal, type Roster } from '../../src/index.js'
import { hashSecret } from '../../src/core/secrets.js'
import { compareRates, cycle, rateFigure, rateOptions, type Op } from '../lib/timing.js'

/*
 * The users and credentials figures on PostgreSQL (`npm run bench -- --postgres URL`): roster over a new
 * database on that server beside raw `pg` running the same SQL on a pool of the same size, in the same
 * run. The raw side runs each statement on its own (autocommit), as hand-written code would; roster runs
 * each call in its transaction (BEGIN … COMMIT), which is what the ratio prices.
 */

const READ_TARGET = 0.5
const CREATE_TARGET = 0.7
const SECRET_KEY = 'bench-postgres-secret-key-0123456789abcdef'

interface Tenant {
  readonly id: string
  readonly principal: AdminPrincipal
  readonly secret: string
  readonly userIds: readonly string[]
  readonly credential: string
}

/** Runs only with --postgres URL: the server must let the URL's role create a database. */
export function postgresSuite(url: string): Suite {
  return {
    name: 'postgres',
    async run(options, report, note) {
      const scale = options.quick ? { users: 2_000, tenants: 4 } : { users: 20_000, tenants: 10 }
      const database = `roster_bench_${process.pid}_${randomBytes(3).toString('hex')}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`create database ${database}`)
      const target = new URL(url)
      target.pathname = `/${database}`
      const connectionString = target.toString()
      let roster: Roster | null = null
      const raw = new pg.Pool({ connectionString, max: 10 })
      try {
        roster = await openRoster({ postgres: { connectionString }, secretKey: SECRET_KEY, bootstrapKey: 'b'.repeat(40) })
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
        await admin.query(`drop database if exists ${database} with (force)`)
        await admin.end()
      }
    },
  }
}

/** Tenants through roster (keys, owners), then users in bulk through SQL, so the counters' triggers run as for roster's own writes. */
async function load(roster: Roster, raw: pg.Pool, scale: { users: number; tenants: number }): Promise<Tenant[]> {
  const tenants: Tenant[] = []
  for (let t = 0; t < scale.tenants; t++) {
    const { tenant, key } = await roster.tenants.create(roster.principals.bootstrap(), { entityName: `Bench ${t}` })
    const principal = (await roster.authenticate(key.secret)) as AdminPrincipal
    const per = Math.floor(scale.users / scale.tenants)
    await raw.query(`with numbered as (select n, tenants.next_user_number - 1 + n as number from generate_series(1, $2::int) as n, tenants where tenants.id = $1)
      insert into users (id, tenant_id, number, external_id, name, first_name, last_name, email, email_lower, metadata, status, account_type, auth_type, created_at)
      select gen_random_uuid()::text, $1, number, 'ext-' || number, 'User ' || number, 'User', 'N' || number,
        'user' || number || '@t${t}.example.com', 'user' || number || '@t${t}.example.com', '{"source":"bench"}',
        case when number % 50 = 0 then 'suspended' else 'active' end, 'user', 'none',
        to_char(timestamp '2026-01-01' + number * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      from numbered`, [tenant.id, per])
    await raw.query('update tenants set next_user_number = next_user_number + $2 where id = $1', [tenant.id, per])
    const userIds = (await raw.query('select id from users where tenant_id = $1 order by number limit 200', [tenant.id])).rows.map((r) => r.id as string)
    const credential = await roster.credentials.create(principal, userIds[0]!, { name: 'Bench' })
    tenants.push({ id: tenant.id, principal, secret: key.secret, userIds, credential: credential.secret })
  }
  await raw.query('analyze')
  return tenants
}

type Pair = { roster: Op; raw: Op }

function figures(roster: Roster, raw: pg.Pool, tenants: readonly Tenant[]): [string, number, Pair][] {
  const byId = cycle(tenants.flatMap((t) => t.userIds.map((id) => ({ t, id }))))
  const byIdRaw = cycle(tenants.flatMap((t) => t.userIds.map((id) => ({ t, id }))))
  const [a, b] = [cycle(tenants), cycle(tenants)]
  let n = 0
  const named = (name: string, text: string, values: unknown[]) => raw.query({ name, text, values })
  return [
    ['pg.users.get_by_id', READ_TARGET, {
      roster: () => { const { t, id } = byId(); return roster.users.get(t.principal, id) },
      raw: () => { const { t, id } = byIdRaw(); return named('get', `select users.*, (select name from tenants where tenants.id = users.tenant_id) as tenant_name
        from users where tenant_id = $1 and id = $2`, [t.id, id]) },
    }],
    ['pg.users.list_first_page', READ_TARGET, {
      roster: () => roster.users.list(a().principal, { limit: 50 }),
      raw: async () => {
        const t = b()
        await named('page', `select users.*, (select name from tenants where tenants.id = users.tenant_id) as tenant_name from users
          where tenant_id = $1 order by number desc limit $2 offset $3`, [t.id, 51, 0])
        return named('count', 'select coalesce(sum(users), 0) as total from user_counts where tenant_id = $1', [t.id])
      },
    }],
    ['pg.users.create', CREATE_TARGET, {
      roster: () => { const i = n++; return roster.users.create(a().principal, { name: 'Bench User', externalId: `r-${i}`, email: `r-${i}@example.com` }) },
      raw: async () => {
        const i = n++
        const t = b()
        const client = await raw.connect()
        try {
          await client.query('begin')
          const next = await client.query({ name: 'next', text: 'update tenants set next_user_number = next_user_number + 1 where id = $1 returning next_user_number - 1 as number, name', values: [t.id] })
          await client.query({ name: 'insert', text: `insert into users (id, tenant_id, number, external_id, name, email, email_lower, metadata, status, account_type, auth_type, created_at)
            values (gen_random_uuid()::text, $1, $2, $3, 'Bench User', $4, $4, '{}', 'active', 'user', 'none', $5)`, values: [t.id, next.rows[0].number, `w-${i}`, `w-${i}@example.com`, new Date().toISOString()] })
          await client.query('commit')
        } finally {
          client.release()
        }
      },
    }],
    ['pg.auth.authenticate', READ_TARGET, {
      roster: () => roster.authenticate(a().secret),
      raw: () => named('key', 'select * from admin_keys where secret_hash = $1 and revoked_at is null', [hashSecret(b().secret)]),
    }],
    ['pg.credentials.verify', READ_TARGET, {
      roster: () => roster.credentials.verify(a().credential),
      raw: async () => {
        const t = b()
        const found = await named('cred', `select u.*, c.id as credential_id, c.user_id as credential_user_id, c.revoked_at as credential_revoked_at, t.name as tenant_name from credentials c join tenants t on t.id = c.tenant_id
          left join users u on u.id = c.user_id and u.tenant_id = c.tenant_id where c.secret_hash = $1`, [hashSecret(t.credential)])
        const row = found.rows[0]
        const now = new Date()
        return named('meter', `insert into usage_hourly as h (hour, tenant_id, user_id, credential_id, requests, units, last_used_at) values ($1, $2, $3, $4, 1, 1, $5)
          on conflict (hour, tenant_id, user_id, credential_id) do update set requests = h.requests + 1, units = h.units + 1, last_used_at = greatest(h.last_used_at, excluded.last_used_at)`,
          [Math.floor(now.getTime() / 3_600_000), t.id, row.credential_user_id, row.credential_id, now.toISOString()])
      },
    }],
  ]
}
