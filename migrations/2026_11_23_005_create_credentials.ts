import type { Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('credentials')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('tenant_id', text, (c) => c.notNull().references('tenants.id'))
      // No foreign key to users: a deleted user's credentials stay (revoked) so its recorded usage stays attributable.
      .addColumn('user_id', text, (c) => c.notNull())
      .addColumn('name', text, (c) => c.notNull())
      .addColumn('secret_hash', text, (c) => c.notNull().unique())
      .addColumn('prefix', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      // No last_used_at here: it lives on the usage rows, so metering never rewrites a credential.
      .addColumn('expires_at', text)
      .addColumn('revoked_at', text)
      .addColumn('created_by_key_id', text)
      .execute()
    await trx.schema.createIndex('credentials_by_user').on('credentials').columns(['tenant_id', 'user_id', 'created_at']).execute()
  })
}
