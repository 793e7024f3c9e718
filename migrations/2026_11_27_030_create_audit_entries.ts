import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Appended in the transaction of every change it records. No foreign keys: an entry outlives what it names.
    await trx.schema
      .createTable('audit_entries')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('surface', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text', (c) => c.notNull())
      // `{fields, before, after}` as JSON text: read back whole, never queried inside.
      .addColumn('changes', 'text', (c) => c.notNull())
      // The list's order, newest first per tenant, and the range pruning deletes.
      .addPrimaryKeyConstraint('audit_entries_pk', ['tenant_id', 'at', 'id'])
      .execute()
    // The two filters that pick few entries out of many: what happened to one thing, what one key did.
    await trx.schema.createIndex('audit_entries_by_target').on('audit_entries').columns(['tenant_id', 'target_id', 'at', 'id']).execute()
    await trx.schema.createIndex('audit_entries_by_actor').on('audit_entries').columns(['tenant_id', 'actor', 'at', 'id']).execute()
  })
}
