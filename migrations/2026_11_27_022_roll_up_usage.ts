import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../src/storage/migration-engine.js'

/** Whole months since January 1970 of an hour since the epoch: the key of a monthly total. */
const monthOf = (hour: string) =>
  `((cast(strftime('%Y', ${hour} * 3600, 'unixepoch') as integer) - 1970) * 12 + cast(strftime('%m', ${hour} * 3600, 'unixepoch') as integer) - 1)`

/** Adds `requests` and `units` of the hourly row `new` to its user's day and month. */
const rollUp = (requests: string, units: string) => `
  insert into usage_daily (tenant_id, day, user_id, requests, units)
    values (new.tenant_id, new.hour / 24, new.user_id, ${requests}, ${units})
    on conflict (tenant_id, day, user_id) do update set requests = requests + excluded.requests, units = units + excluded.units;
  insert into usage_monthly (tenant_id, month, user_id, requests, units)
    values (new.tenant_id, ${monthOf('new.hour')}, new.user_id, ${requests}, ${units})
    on conflict (tenant_id, month, user_id) do update set requests = requests + excluded.requests, units = units + excluded.units;`

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return upOnPostgres(db)
  await db.transaction().execute(async (trx) => {
    // Per-user totals per UTC day and per UTC month beside the hourly counters, so a tenant's summary
    // for a month reads one row per user instead of every hourly row. Clustered by tenant then period:
    // a tenant's month (or run of days) is one range.
    for (const [table, period] of [['usage_daily', 'day'], ['usage_monthly', 'month']] as const) {
      await sql`create table ${sql.table(table)} (
        tenant_id text not null,
        ${sql.ref(period)} integer not null,
        user_id text not null,
        requests integer not null,
        units integer not null,
        primary key (tenant_id, ${sql.ref(period)}, user_id)
      ) without rowid`.execute(trx)
    }
    // Written by triggers on the hourly counters, so whatever meters usage moves the rollups in the same
    // transaction and they equal the sum of the hourly rows by construction. Metering adds with an upsert,
    // whose update branch fires the update trigger with the old and the new counts.
    await sql.raw(`create trigger usage_rollup_insert after insert on usage_hourly begin ${rollUp('new.requests', 'new.units')} end`).execute(trx)
    await sql.raw(`create trigger usage_rollup_update after update of requests, units on usage_hourly begin
      ${rollUp('new.requests - old.requests', 'new.units - old.units')} end`).execute(trx)
    await sql`insert into usage_daily (tenant_id, day, user_id, requests, units)
      select tenant_id, hour / 24, user_id, sum(requests), sum(units) from usage_hourly group by 1, 2, 3`.execute(trx)
    await sql.raw(`insert into usage_monthly (tenant_id, month, user_id, requests, units)
      select tenant_id, ${monthOf('hour')}, user_id, sum(requests), sum(units) from usage_hourly group by 1, 2, 3`).execute(trx)
  })
}

/** monthOf on PostgreSQL. */
const monthOnPostgres = (hour: string) =>
  `((extract(year from to_timestamp(${hour}::bigint * 3600) at time zone 'UTC')::int - 1970) * 12 + extract(month from to_timestamp(${hour}::bigint * 3600) at time zone 'UTC')::int - 1)`

/** The same rollups on PostgreSQL: one trigger function adds the hourly row's change to its day and month. */
async function upOnPostgres(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [table, period] of [['usage_daily', 'day'], ['usage_monthly', 'month']] as const) {
      await sql`create table ${sql.table(table)} (
        tenant_id text collate "C" not null,
        ${sql.ref(period)} integer not null,
        user_id text collate "C" not null,
        requests bigint not null,
        units bigint not null,
        primary key (tenant_id, ${sql.ref(period)}, user_id)
      )`.execute(trx)
    }
    await sql.raw(`create function roster_usage_rollup() returns trigger language plpgsql as $$
    declare
      added_requests bigint := new.requests - case when tg_op = 'UPDATE' then old.requests else 0 end;
      added_units bigint := new.units - case when tg_op = 'UPDATE' then old.units else 0 end;
    begin
      insert into usage_daily (tenant_id, day, user_id, requests, units)
        values (new.tenant_id, new.hour / 24, new.user_id, added_requests, added_units)
        on conflict (tenant_id, day, user_id) do update
          set requests = usage_daily.requests + excluded.requests, units = usage_daily.units + excluded.units;
      insert into usage_monthly (tenant_id, month, user_id, requests, units)
        values (new.tenant_id, ${monthOnPostgres('new.hour')}, new.user_id, added_requests, added_units)
        on conflict (tenant_id, month, user_id) do update
          set requests = usage_monthly.requests + excluded.requests, units = usage_monthly.units + excluded.units;
      return null;
    end $$`).execute(trx)
    await sql`create trigger usage_rollup_insert after insert on usage_hourly
      for each row execute function roster_usage_rollup()`.execute(trx)
    await sql`create trigger usage_rollup_update after update of requests, units on usage_hourly
      for each row execute function roster_usage_rollup()`.execute(trx)
    await sql`insert into usage_daily (tenant_id, day, user_id, requests, units)
      select tenant_id, hour / 24, user_id, sum(requests), sum(units) from usage_hourly group by 1, 2, 3`.execute(trx)
    await sql.raw(`insert into usage_monthly (tenant_id, month, user_id, requests, units)
      select tenant_id, ${monthOnPostgres('hour')}, user_id, sum(requests), sum(units) from usage_hourly group by 1, 2, 3`).execute(trx)
  })
}
