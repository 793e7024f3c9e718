import { sql, type Kysely } from 'kysely'
import type { CredentialId } from '../../core/credentials/credential.js'
import type { UserId } from '../../core/ids.js'
import type { UsageRepository } from '../../core/ports/usage-repository.js'
import { HOUR_MS } from '../../core/usage/usage.js'
import { splitHourRange } from '../../core/usage/usage-spans.js'
import { param } from '../query-param.js'
import type { Tables } from '../sqlite/tables.js'
import { num, pgQuery, type PgConnection } from './pg-prepared.js'

type Totals = { requests: string | null; units: string | null }

/**
 * One tenant's usage in a period, one row per piece, as the SQLite adapter reads it: whole months from
 * the monthly rollup, whole days outside them from the daily rollup, stray hours from the hourly
 * counters (splitHourRange). The day and hour lists travel as arrays.
 */
const PIECES = sql`pieces(user_id, requests, units) as (
    select user_id, requests, units from usage_monthly
      where tenant_id = ${param('tenantId')} and month >= ${param('fromMonth')} and month < ${param('toMonth')}
    union all
    select d.user_id, d.requests, d.units from usage_daily as d
      where d.tenant_id = ${param('tenantId')} and d.day = any(${param('days')}::int[])
    union all
    select h.user_id, h.requests, h.units from usage_hourly as h
      where h.hour = any(${param('hours')}::int[]) and h.tenant_id = ${param('tenantId')}
  ),
  per_user(user_id, requests, units) as (select user_id, sum(requests), sum(units) from pieces group by user_id)`

export function pgUsageRepository(db: Kysely<Tables>): (c: PgConnection) => UsageRepository {
  const userCredentials = db.selectFrom('credentials').select('id')
    .where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId'))
  const forUser = db.selectFrom('usage_hourly')
    .where('credential_id', 'in', userCredentials).where('tenant_id', '=', param('tenantId'))
    .where('hour', '>=', param('fromHour')).where('hour', '<', param('toHour'))
  const q = {
    // Adds to the counters in place, in one statement per batch: concurrent writers (in any process)
    // never lose an increment to a read-modify-write, so a batch written alone runs autocommit
    // (runLater; one that loses a race to insert a row runs again, see isRetryable). The rollup
    // trigger moves day and month with it, by upserts too.
    add: pgQuery(sql`insert into usage_hourly as t (hour, tenant_id, user_id, credential_id, requests, units, last_used_at)
      select * from unnest(${param('hours')}::int[], ${param('tenantIds')}::text[], ${param('userIds')}::text[],
        ${param('credentialIds')}::text[], ${param('requests')}::bigint[], ${param('units')}::bigint[], ${param('usedAts')}::text[])
      on conflict (hour, tenant_id, user_id, credential_id) do update set
        requests = t.requests + excluded.requests,
        units = t.units + excluded.units,
        last_used_at = greatest(t.last_used_at, excluded.last_used_at)`.compile(db), { locking: true }),
    byCredential: pgQuery<{ credential_id: string } & Totals>(forUser
      .select(['credential_id', sql<string>`sum(requests)`.as('requests'), sql<string>`sum(units)`.as('units')])
      .groupBy('credential_id').compile()),
    daily: pgQuery<{ day: number } & Totals>(forUser
      .select([sql<number>`hour / 24`.as('day'), sql<string>`sum(requests)`.as('requests'), sql<string>`sum(units)`.as('units')])
      .groupBy(sql`hour / 24`).orderBy(sql`hour / 24`).compile()),
    tenantTotals: pgQuery<Totals & { users: string }>(sql`with ${PIECES}
      select sum(requests) as requests, sum(units) as units, count(*) as users from per_user`.compile(db)),
    byUser: pgQuery<{ user_id: string } & Totals>(sql`with ${PIECES}
      select user_id, requests, units from per_user order by requests desc, user_id limit ${param('limit')} offset ${param('offset')}`.compile(db)),
  }

  return (c) => ({
    async add(increments) {
      if (increments.length === 0) return
      // One row per key in a statement: ON CONFLICT cannot touch a row twice in one command.
      const merged = new Map<string, { hour: number; tenantId: string; userId: string; credentialId: string; requests: number; units: number; usedAt: string }>()
      for (const i of increments) {
        const key = `${i.hour}|${i.tenantId}|${i.userId}|${i.credentialId}`
        const seen = merged.get(key)
        if (seen) {
          seen.requests += i.requests
          seen.units += i.units
          if (i.usedAt > seen.usedAt) seen.usedAt = i.usedAt
        } else merged.set(key, { ...i })
      }
      // A fixed order, so two batches touching the same rows lock them in the same order and never deadlock.
      const rows = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row)
      await c.runLater(q.add, {
        hours: rows.map((r) => r.hour), tenantIds: rows.map((r) => r.tenantId), userIds: rows.map((r) => r.userId),
        credentialIds: rows.map((r) => r.credentialId), requests: rows.map((r) => r.requests), units: rows.map((r) => r.units),
        usedAts: rows.map((r) => r.usedAt),
      })
    },
    async forUser(tenantId, userId, range) {
      const args = { tenantId, userId, ...range }
      return {
        byCredential: (await c.rows(q.byCredential, args)).map((row) => ({ credentialId: row.credential_id as CredentialId, ...totals(row) })),
        daily: (await c.rows(q.daily, args)).map((row) => ({ date: new Date(row.day * 24 * HOUR_MS).toISOString().slice(0, 10), ...totals(row) })),
      }
    },
    async forTenant(tenantId, range, page) {
      const spans = splitHourRange(range)
      const args = { tenantId, ...page, fromMonth: spans.months.from, toMonth: spans.months.to, days: spans.days, hours: spans.hours }
      const all = await c.first(q.tenantTotals, args)
      return {
        totals: totals(all ?? { requests: null, units: null }),
        userCount: num(all?.users),
        users: (await c.rows(q.byUser, args)).map((row) => ({ userId: row.user_id as UserId, ...totals(row) })),
      }
    },
  })
}

function totals(row: Totals): { requests: number; units: number } {
  return { requests: num(row.requests), units: num(row.units) }
}
