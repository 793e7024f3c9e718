import { sql, type Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    // Columns on users rather than a side table: an account has at most one password and one
    // outstanding reset token, and the IAM filters read both without a join.
    await trx.schema.alterTable('users').addColumn('password_hash', text).execute()
    await trx.schema.alterTable('users').addColumn('password_reset_token_hash', text).execute()
    await trx.schema.alterTable('users').addColumn('password_reset_token_expires_at', text).execute()
    // A token hash identifies one account: unique, and only indexed where a token is outstanding.
    await trx.schema
      .createIndex('users_by_reset_token')
      .unique()
      .on('users')
      .column('password_reset_token_hash')
      .where(sql.ref('password_reset_token_hash'), 'is not', null)
      .execute()
  })
}
