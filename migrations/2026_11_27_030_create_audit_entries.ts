import { sql, SqliteAdapter, type Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  // On SQLite the table is clustered on its key (WITHOUT ROWID): an entry then writes one b-tree rather
  // than a rowid table and a key index, which is most of what the entry costs a write. Other engines
  // keep their own storage; the schema is the same.
  const clustered = db.getExecutor().adapter instanceof SqliteAdapter
  const ordered = orderedText(db)
  await db.transaction().execute(async (trx) => {
    // Appended in the transaction of every change it records. No foreign keys: an entry outlives what it names.
    await trx.schema
      .createTable('audit_entries')
      .addColumn('tenant_id', ordered, (c) => c.notNull())
      .addColumn('at', ordered, (c) => c.notNull())
      .addColumn('id', ordered, (c) => c.notNull())
      .addColumn('actor', ordered, (c) => c.notNull())
      .addColumn('actor_type', ordered, (c) => c.notNull())
      .addColumn('surface', ordered, (c) => c.notNull())
      .addColumn('request_id', ordered)
      .addColumn('action', ordered, (c) => c.notNull())
      .addColumn('target_type', ordered, (c) => c.notNull())
      .addColumn('target_id', ordered, (c) => c.notNull())
      // `{fields, before, after}` as JSON text: read back whole, never queried inside.
      .addColumn('changes', 'text', (c) => c.notNull())
      // The list's order, newest first per tenant, and the range pruning deletes.
      .addPrimaryKeyConstraint('audit_entries_pk', ['tenant_id', 'at', 'id'])
      .$call((table) => (clustered ? table.modifyEnd(sql`without rowid`) : table))
      .execute()
    // One thing's history is the question an audit log is asked most; it picks a few entries out of
    // many. The other filters (actor, action, target type) read the tenant's entries in time order.
    await trx.schema.createIndex('audit_entries_by_target').on('audit_entries').columns(['tenant_id', 'target_id', 'at', 'id']).execute()
  })
}
