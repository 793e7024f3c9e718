import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { AdminPrincipal, Roster } from '../../src/index.js'

export const SECRET_KEY = 'bench-postgres-secret-key-0123456789abcdef'
export const BOOTSTRAP_KEY = 'b'.repeat(40)

export interface Tenant {
  readonly id: string
  readonly principal: AdminPrincipal
  readonly secret: string
  readonly userIds: readonly string[]
  readonly credential: string
}

/** A new database on the server at `url` (whose role must be allowed to create one), dropped by `drop`. */
export async function benchDatabase(url: string) {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  const names: string[] = []
  const create = async (template?: string) => {
    const name = `roster_bench_${process.pid}_${randomBytes(3).toString('hex')}`
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`)
        break
      } catch (error) {
        // A pool just ended may still be closing its sessions on the template (55006): they go within moments.
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    names.push(name)
    const target = new URL(url)
    target.pathname = `/${name}`
    return { name, connectionString: target.toString() }
  }
  const first = await create()
  return {
    ...first,
    /** A copy of the database as it is now: nothing may be connected to it. */
    copy: () => create(first.name),
    async drop() {
      for (const name of names) await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

/** Tenants through roster (keys, owners), then users in bulk through SQL, so the counters' triggers run as for roster's own writes. */
export async function load(roster: Roster, raw: pg.Pool, scale: { users: number; tenants: number }): Promise<Tenant[]> {
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

