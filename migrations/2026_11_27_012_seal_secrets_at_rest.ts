import { sql, type Kysely } from 'kysely'
import { isPostgres, orderedText } from '../src/storage/migration-engine.js'

/*
 * Secrets at rest, part one. A migration cannot seal anything: the host's secret key is not in the
 * database, and migrations import no roster code. So this marks what is left to do and roster's open
 * path does it, in one transaction, before it serves a call:
 * - `mfa_totp_factors.secret_key_id` NULL marks a secret stored in clear by an earlier roster; open
 *   seals it with AES-256-GCM and records the key id.
 * - `mfa_recovery_codes.salt` NULL marks a bare SHA-256 hash; open re-hashes it with scrypt under a
 *   per-user salt (the code itself is never known, so its SHA-256 is what gets salted).
 * - `secret_scrub.pending` asks open to rewrite the file once (VACUUM) and empty the WAL, so clear
 *   secrets an earlier roster wrote, deleted or replaced do not linger in free pages. Set only when
 *   the database already holds a tenant: a new one has nothing to scrub.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const text = orderedText(db)
  await db.transaction().execute(async (trx) => {
    await trx.schema.alterTable('mfa_totp_factors').addColumn('secret_key_id', text).execute()
    await trx.schema.createIndex('mfa_totp_factors_by_key').on('mfa_totp_factors').column('secret_key_id').execute()
    await trx.schema.alterTable('mfa_recovery_codes').addColumn('salt', text).execute()
    await trx.schema
      .createTable('secret_scrub')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('pending', 'integer', (c) => c.notNull())
      .execute()
    // Only a database that already held data can hold old clear secrets; a new one needs no rewrite.
    const held = isPostgres(db) ? sql`(exists (select 1 from tenants))::int` : sql`exists (select 1 from tenants)`
    await sql`insert into secret_scrub (id, pending) select 1, ${held}`.execute(trx)
  })
}
