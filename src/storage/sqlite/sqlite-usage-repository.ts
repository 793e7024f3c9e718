import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { CredentialId } from '../../core/credentials/credential.js'
import type { UserId } from '../../core/ids.js'
import type { UsageRepository } from '../../core/ports/usage-repository.js'
import { HOUR_MS } from '../../core/usage/usage.js'
import { param, prepareQuery } from './prepared.js'
import type { Tables } from './tables.js'

type Totals = { requests: number | null; units: number | null }

/**
 * `select … from` one tenant's rows in [fromHour, toHour). The table is clustered by (hour, tenant), so
 * the query walks the hours and takes one primary-key range per hour; the walk is clamped to the hours
 * that hold any usage, so a period reaching back years costs no more than the data it covers.
 */
function tenantPeriod(select: RawBuilder<unknown>, rest: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  const [from, to] = [param<number>('fromHour'), param<number>('toHour')]
  return sql`with recursive
    bounds(lo, hi) as (select max(${from}, coalesce((select min(hour) from usage_hourly), ${to})),
                              min(${to}, coalesce((select max(hour) + 1 from usage_hourly), ${from}))),
    hours(h) as (select lo from bounds where lo < hi union all select h + 1 from hours, bounds where h + 1 < hi)
    select ${select} from hours cross join usage_hourly as u on u.hour = hours.h and u.tenant_id = ${param('tenantId')} ${rest}`
}

export function createSqliteUsageRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): UsageRepository {
  // A user's rows are found through its credentials and the (credential_id, hour) index.
  const userCredentials = db.selectFrom('credentials').select('id')
    .where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId'))
  const forUser = db.selectFrom('usage_hourly')
    .where('credential_id', 'in', userCredentials).where('tenant_id', '=', param('tenantId'))
    .where('hour', '>=', param('fromHour')).where('hour', '<', param('toHour'))
  const q = {
    // Adds to the counter in place: concurrent writers never lose an increment to a read-modify-write.
    add: prepareQuery(handle, db.insertInto('usage_hourly').values({
      hour: param('hour'), tenant_id: param('tenantId'), user_id: param('userId'), credential_id: param('credentialId'),
      requests: param('requests'), units: param('units'), last_used_at: param('usedAt'),
    }).onConflict((oc) => oc.columns(['hour', 'tenant_id', 'user_id', 'credential_id']).doUpdateSet({
      requests: sql`requests + excluded.requests`,
      units: sql`units + excluded.units`,
      last_used_at: sql`max(last_used_at, excluded.last_used_at)`,
    })).compile()),
    byCredential: prepareQuery<{ credential_id: string } & Totals>(handle, forUser
      .select(['credential_id', sql<number>`sum(requests)`.as('requests'), sql<number>`sum(units)`.as('units')])
      .groupBy('credential_id').compile()),
    daily: prepareQuery<{ day: number } & Totals>(handle, forUser
      .select([sql<number>`hour / 24`.as('day'), sql<number>`sum(requests)`.as('requests'), sql<number>`sum(units)`.as('units')])
      .groupBy(sql`hour / 24`).orderBy(sql`hour / 24`).compile()),
    tenantTotals: prepareQuery<Totals & { users: number }>(handle, tenantPeriod(
      sql`sum(u.requests) as requests, sum(u.units) as units, count(distinct u.user_id) as users`,
    ).compile(db)),
    byUser: prepareQuery<{ user_id: string } & Totals>(handle, tenantPeriod(
      sql`u.user_id as user_id, sum(u.requests) as requests, sum(u.units) as units`,
      sql`group by u.user_id order by requests desc, u.user_id limit ${param('limit')} offset ${param('offset')}`,
    ).compile(db)),
  }

  return {
    async add(increments) {
      for (const increment of increments) q.add.run(increment)
    },
    async forUser(tenantId, userId, range) {
      const args = { tenantId, userId, ...range }
      return {
        byCredential: q.byCredential.all(args).map((row) => ({ credentialId: row.credential_id as CredentialId, ...totals(row) })),
        daily: q.daily.all(args).map((row) => ({ date: new Date(row.day * 24 * HOUR_MS).toISOString().slice(0, 10), ...totals(row) })),
      }
    },
    async forTenant(tenantId, range, page) {
      const args = { tenantId, ...range, ...page }
      const all = q.tenantTotals.get(args)
      return {
        totals: totals(all ?? { requests: 0, units: 0 }),
        userCount: all?.users ?? 0,
        users: q.byUser.all(args).map((row) => ({ userId: row.user_id as UserId, ...totals(row) })),
      }
    },
  }
}

function totals(row: Totals): { requests: number; units: number } {
  return { requests: row.requests ?? 0, units: row.units ?? 0 }
}
