import type { Kysely } from 'kysely'
import { orderedText } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  const ordered = orderedText(db)
  await db.transaction().execute(async (trx) => {
    // The first answer to each POST sent with an Idempotency-Key, per tenant and authenticating key, for
    // 24 hours. Nothing here is readable without the key that made the request: the key and request are
    // kept as HMACs and the answer sealed under a key derived from the caller's own secret.
    await trx.schema
      .createTable('idempotency_keys')
      // '' for the bootstrap key, which acts for no tenant.
      .addColumn('tenant_id', ordered, (c) => c.notNull())
      .addColumn('actor', ordered, (c) => c.notNull())
      .addColumn('key_hash', ordered, (c) => c.notNull())
      .addColumn('request_hash', ordered, (c) => c.notNull())
      // Null while the first request is running; then the sealed answer.
      .addColumn('response', 'text')
      .addColumn('locked_until', ordered, (c) => c.notNull())
      .addColumn('expires_at', ordered, (c) => c.notNull())
      .addColumn('created_at', ordered, (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['tenant_id', 'actor', 'key_hash'])
      .execute()
    await trx.schema.createIndex('idempotency_keys_expiry').on('idempotency_keys').column('expires_at').execute()
  })
}
