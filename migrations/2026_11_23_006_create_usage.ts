import { sql, type Kysely } from 'kysely'
import { counter, isPostgres, orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  const count = counter(db)
  await db.transaction().execute(async (trx) => {
    // One row per credential per UTC hour (`hour` = whole hours since the Unix epoch): storage grows with
    // time and credentials, never with traffic. `last_used_at` is the latest use in that hour, so metering
    // writes this row and nothing else. Rows are clustered by hour, then tenant: the hour being metered is
    // a few adjacent pages, so a metering commit writes little; a tenant's period is one short range per hour.
    await trx.schema
      .createTable('usage_hourly')
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('tenant_id', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('credential_id', text, (c) => c.notNull())
      .addColumn('requests', count, (c) => c.notNull())
      .addColumn('units', count, (c) => c.notNull())
      .addColumn('last_used_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_hourly_pk', ['hour', 'tenant_id', 'user_id', 'credential_id'])
      // SQLite clusters the table on its key; PostgreSQL has no such clause, its primary key index serves the same ranges.
      .$call((table) => (isPostgres(db) ? table : table.modifyEnd(sql`without rowid`)))
      .execute()
    // A credential's own rows (its last use, a user's report). Counters are not in it, so adding to an
    // existing row never rewrites it.
    await trx.schema.createIndex('usage_by_credential').unique().on('usage_hourly').columns(['credential_id', 'hour']).execute()
  })
}
