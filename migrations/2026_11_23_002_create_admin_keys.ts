import type { Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('admin_keys')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id'))
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('secret_hash', text, (c) => c.notNull().unique())
      .addColumn('prefix', text, (c) => c.notNull())
      .addColumn('permissions', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('revoked_at', text)
      .execute()
    await trx.schema.createIndex('admin_keys_by_tenant').on('admin_keys').columns(['tenant_id', 'created_at']).execute()
  })
}
