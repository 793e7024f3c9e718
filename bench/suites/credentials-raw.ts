import type Database from 'better-sqlite3'
import { splitHourRange } from '../../src/core/usage/usage-spans.js'
import { rawTransaction } from '../lib/raw-connection.js'

// The SQL roster's SQLite repositories compile (sqlite-credential-repository.ts, sqlite-usage-repository.ts,
// sqlite-user-repository.ts), written out by hand.
const LAST_USED = '(select u.last_used_at from usage_hourly as u where u.credential_id = credentials.id order by u.hour desc limit 1)'
const USER_CREDENTIALS = 'select "id" from "credentials" where "tenant_id" = ? and "user_id" = ?'
// A tenant's period, cut into whole months, whole days and stray hours (splitHourRange), each read from its rollup.
const TENANT_PERIOD = `with pieces(user_id, requests, units) as (
    select user_id, requests, units from usage_monthly where tenant_id = @tenantId and month >= @fromMonth and month < @toMonth
    union all
    select d.user_id, d.requests, d.units from json_each(@days) as j cross join usage_daily as d on d.tenant_id = @tenantId and d.day = j.value
    union all
    select h.user_id, h.requests, h.units from json_each(@hours) as j cross join usage_hourly as h on h.hour = j.value and h.tenant_id = @tenantId
  ),
  per_user(user_id, requests, units) as (select user_id, sum(requests), sum(units) from pieces group by user_id)`
const SQL = {
  credentialByHash:
    `with "c" as materialized (select *, ${LAST_USED} as "last_used_at" from "credentials" where "secret_hash" = ?) select "users".*, "c"."id" as "c_id", "c"."tenant_id" as "c_tenant_id", "c"."user_id" as "c_user_id", "c"."name" as "c_name", "c"."prefix" as "c_prefix", "c"."created_at" as "c_created_at", "c"."last_used_at" as "c_last_used_at", "c"."expires_at" as "c_expires_at", "c"."revoked_at" as "c_revoked_at", "t"."name" as "tenant_name", "t"."owner_user_id" as "t_owner_user_id", "t"."created_at" as "t_created_at" from "c" inner join "tenants" as "t" on "t"."id" = "c"."tenant_id" left join "users" on "users"."id" = "c"."user_id" and "users"."tenant_id" = "c"."tenant_id"`,
  plainCredentialByHash: 'select * from "credentials" where "secret_hash" = ?',
  addUsage:
    'insert into "usage_hourly" ("hour", "tenant_id", "user_id", "credential_id", "requests", "units", "last_used_at") values (?, ?, ?, ?, ?, ?, ?) on conflict ("hour", "tenant_id", "user_id", "credential_id") do update set "requests" = requests + excluded.requests, "units" = units + excluded.units, "last_used_at" = max(last_used_at, excluded.last_used_at)',
  tenantTotals: `${TENANT_PERIOD} select sum(requests) as requests, sum(units) as units, count(*) as users from per_user`,
  byUser: `${TENANT_PERIOD} select user_id, requests, units from per_user order by requests desc, user_id limit @limit offset @offset`,
  userById:
    'select "users".*, "tenants"."name" as "tenant_name" from "users" inner join "tenants" on "tenants"."id" = "users"."tenant_id" where "users"."tenant_id" = ? and "users"."id" = ?',
  credentialsOfUser: `select *, ${LAST_USED} as "last_used_at" from "credentials" where "tenant_id" = ? and "user_id" = ? order by "created_at" desc, "id" desc`,
  userByCredential:
    `select "credential_id", sum(requests) as "requests", sum(units) as "units" from "usage_hourly" where "credential_id" in (${USER_CREDENTIALS}) and "tenant_id" = ? and "hour" >= ? and "hour" < ? group by "credential_id"`,
  userDaily:
    `select hour / 24 as "day", sum(requests) as "requests", sum(units) as "units" from "usage_hourly" where "credential_id" in (${USER_CREDENTIALS}) and "tenant_id" = ? and "hour" >= ? and "hour" < ? group by hour / 24 order by hour / 24`,
  totalRequests: 'select coalesce(sum(requests), 0) as "requests" from "usage_hourly"',
} as const

type Row = Record<string, unknown>
export interface HourRange {
  readonly fromHour: number
  readonly toHour: number
}

/** The raw better-sqlite3 side of the credentials suite: statements prepared once, rows as SQLite gives them. */
export function prepareRawCredentials(handle: Database.Database) {
  const s = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, handle.prepare(sql)])) as Record<keyof typeof SQL, Database.Statement>
  const transaction = rawTransaction(handle)
  return {
    /** roster's verification lookup: the credential with its user and tenant, by the secret's hash. */
    credentialByHash: (hash: string) => s.credentialByHash.get(hash) as Row | undefined,
    plainCredentialByHash: (hash: string) => s.plainCredentialByHash.get(hash) as Row | undefined,
    /** What an unbatched verify would do: the lookup, then one transaction adding one request. */
    verifyAndMeter: (hash: string, hour: number, usedAt: string) => {
      const row = s.credentialByHash.get(hash) as Row | undefined
      if (!row) throw new Error('credential not found')
      transaction(() => s.addUsage.run(hour, row.c_tenant_id, row.c_user_id, row.c_id, 1, 1, usedAt))
      return row
    },
    /** The tenant summary's queries: totals, one page of users by requests, and each listed user's row. */
    summary: (tenantId: string, range: HourRange, limit: number) => {
      const spans = splitHourRange(range)
      const period = { tenantId, fromMonth: spans.months.from, toMonth: spans.months.to, days: JSON.stringify(spans.days), hours: JSON.stringify(spans.hours) }
      const totals = s.tenantTotals.get(period) as Row
      const users = (s.byUser.all({ ...period, limit, offset: 0 }) as Row[]).map(
        (row): Row & { user: Row | undefined } => ({ ...row, user: s.userById.get(tenantId, row.user_id) as Row | undefined }),
      )
      return { totals, users }
    },
    /** One user's report: the user, its credentials, usage per credential and per day. */
    userUsage: (tenantId: string, userId: string, range: HourRange) => ({
      user: s.userById.get(tenantId, userId) as Row | undefined,
      byCredential: s.userByCredential.all(tenantId, userId, tenantId, range.fromHour, range.toHour) as Row[],
      credentials: s.credentialsOfUser.all(tenantId, userId) as Row[],
      daily: s.userDaily.all(tenantId, userId, tenantId, range.fromHour, range.toHour) as Row[],
    }),
    totalRequests: () => (s.totalRequests.get() as { requests: number }).requests,
  }
}

export type RawCredentials = ReturnType<typeof prepareRawCredentials>
