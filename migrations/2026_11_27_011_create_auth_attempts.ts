import type { Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    // Failed password and MFA attempts per user, in the store so a restart does not reset a lockout.
    await trx.schema
      .createTable('auth_attempts')
      .addColumn('tenant_id', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('locked_until', text)
      .addColumn('updated_at', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('auth_attempts_pk', ['user_id', 'kind'])
      .execute()
  })
}
