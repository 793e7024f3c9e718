import { sql, type Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('mfa_totp_factors')
      .addColumn('id', text, (c) => c.primaryKey())
      .addColumn('tenant_id', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
      // Base32 as issued: checking a code needs the secret itself, so it cannot be a hash.
      .addColumn('secret', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull().check(sql`status in ('pending', 'confirmed')`))
      .addColumn('last_used_step', 'integer')
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('confirmed_at', text)
      .execute()
    // One TOTP factor per user: a new enrolment replaces a pending one, a confirmed one needs a reset first.
    await trx.schema.createIndex('mfa_totp_factors_by_user').unique().on('mfa_totp_factors').column('user_id').execute()
    await trx.schema
      .createTable('mfa_recovery_codes')
      .addColumn('tenant_id', text, (c) => c.notNull())
      .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
      // SHA-256 of the normalized code; the code itself is shown once and never stored.
      .addColumn('code_hash', text, (c) => c.notNull())
      .addColumn('created_at', text, (c) => c.notNull())
      .addColumn('used_at', text)
      .addPrimaryKeyConstraint('mfa_recovery_codes_pk', ['user_id', 'code_hash'])
      .execute()
  })
}
