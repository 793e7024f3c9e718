import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // One row per credential per UTC hour (`hour` = whole hours since the Unix epoch): storage grows with
    // time and credentials, never with traffic. Tenant and user are copied on so summaries never join,
    // and `last_used_at` is the latest use in that hour, so metering writes this row and nothing else.
    await trx.schema
      .createTable('usage_hourly')
      .addColumn('credential_id', 'text', (c) => c.notNull())
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('requests', 'integer', (c) => c.notNull())
      .addColumn('units', 'integer', (c) => c.notNull())
      .addColumn('last_used_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_hourly_pk', ['credential_id', 'hour'])
      .modifyEnd(sql`without rowid`)
      .execute()
    // Covering: a tenant's period is one range scan that never visits the table. A user's usage is read
    // through its credentials and the primary key instead of a second index, which every metering
    // commit would have to rewrite.
    await trx.schema.createIndex('usage_by_tenant_hour').on('usage_hourly')
      .columns(['tenant_id', 'hour', 'user_id', 'requests', 'units']).execute()
  })
}
