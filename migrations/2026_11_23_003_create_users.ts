import { sql, type Kysely } from 'kysely'
import { isPostgres, orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  // JSON metadata is jsonb on PostgreSQL; SQLite keeps the JSON text it always had.
  const json = isPostgres(db) ? 'jsonb' : 'text'
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('users')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('email', 'text')
      // Lower-cased in JS (full Unicode), because SQLite's NOCASE folds ASCII only.
      .addColumn('email_lower', text)
      .addColumn('metadata', json, (c) => c.notNull().defaultTo('{}'))
      .addColumn('status', text, (c) => c.notNull().check(sql`status in ('active', 'suspended', 'pending')`))
      .addColumn('suspended_reason', text)
      .addColumn('billing_plan', text)
      .addColumn('account_type', text, (c) => c.notNull())
      .addColumn('auth_type', text, (c) => c.notNull())
      .addColumn('expires_at', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text)
      .addColumn('admin_key_id', text)
      .execute()
    // Lists are newest first per tenant, so (tenant_id, number) serves both order and keyset paging.
    await trx.schema.createIndex('users_by_number').unique().on('users').columns(['tenant_id', 'number']).execute()
    await trx.schema.createIndex('users_by_external_id').unique().on('users').columns(['tenant_id', 'external_id']).execute()
    await trx.schema.createIndex('users_by_email').unique().on('users').columns(['tenant_id', 'email_lower']).execute()
    await trx.schema.createIndex('users_by_status').on('users').columns(['tenant_id', 'status', 'number']).execute()
    await trx.schema.createIndex('users_by_billing_plan').on('users').columns(['tenant_id', 'billing_plan', 'number']).execute()
  })
}
