import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { CredentialId } from '../../core/credentials/credential.js'
import type { UserId } from '../../core/ids.js'
import type { UsageRepository } from '../../core/ports/usage-repository.js'
import { HOUR_MS } from '../../core/usage/usage.js'
import { splitHourRange } from '../../core/usage/usage-spans.js'
import { param, prepareQuery } from './prepared.js'
import type { Tables } from './tables.js'

type Totals = { requests: number | null; units: number | null }

/**
 * One tenant's usage in a period, one row per piece: the whole months from the monthly rollup, the whole
 * days outside them from the daily rollup, the stray hours from the hourly counters (splitHourRange).
 * Each piece is a primary-key range or a list of seeks, so a month's summary reads one row per user.
 * CROSS JOIN keeps the day and hour lists outside: SQLite's statistics would otherwise scan the rollup
 * or the hourly table and probe the (often empty) list per row.
 */
const PIECES = sql`pieces(user_id, requests, units) as (
    select user_id, requests, units from usage_monthly
      where tenant_id = ${param('tenantId')} and month >= ${param('fromMonth')} and month < ${param('toMonth')}
    union all
    select d.user_id, d.requests, d.units from json_each(${param('days')}) as j
      cross join usage_daily as d on d.tenant_id = ${param('tenantId')} and d.day = j.value
    union all
    select h.user_id, h.requests, h.units from json_each(${param('hours')}) as j
      cross join usage_hourly as h on h.hour = j.value and h.tenant_id = ${param('tenantId')}
  ),
  per_user(user_id, requests, units) as (select user_id, sum(requests), sum(units) from pieces group by user_id)`

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
    tenantTotals: prepareQuery<Totals & { users: number }>(handle, sql`with ${PIECES}
      select sum(requests) as requests, sum(units) as units, count(*) as users from per_user`.compile(db)),
    byUser: prepareQuery<{ user_id: string } & Totals>(handle, sql`with ${PIECES}
      select user_id, requests, units from per_user order by requests desc, user_id limit ${param('limit')} offset ${param('offset')}`.compile(db)),
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
      const spans = splitHourRange(range)
      const args = {
        tenantId, ...page, fromMonth: spans.months.from, toMonth: spans.months.to,
        days: JSON.stringify(spans.days), hours: JSON.stringify(spans.hours),
      }
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
