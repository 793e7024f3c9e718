import type { Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('groups')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id'))
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('updated_at', text)
      .execute()
    await trx.schema.createIndex('groups_by_name').unique().on('groups').columns(['tenant_id', 'name']).execute()
    await trx.schema
      .createTable('group_memberships')
      .addColumn('tenant_id', text, (c) => c.notNull())
      .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('group_memberships_pk', ['group_id', 'user_id'])
      .execute()
    await trx.schema.createIndex('group_memberships_by_user').on('group_memberships').columns(['user_id', 'group_id']).execute()
  })
}
