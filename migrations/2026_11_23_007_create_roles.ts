import type { Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('roles')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id'))
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('description', text)
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text)
      .execute()
    await trx.schema.createIndex('roles_by_name').unique().on('roles').columns(['tenant_id', 'name']).execute()
    await trx.schema
      .createTable('user_roles')
      .addColumn('tenant_id', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role_id', text, (c) => c.notNull().references('roles.id').onDelete('cascade'))
      .addColumn('created_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
      .execute()
    // `filter[role_name]` goes from a role to its holders; the primary key serves the other direction.
    await trx.schema.createIndex('user_roles_by_role').on('user_roles').columns(['role_id', 'user_id']).execute()
  })
}
