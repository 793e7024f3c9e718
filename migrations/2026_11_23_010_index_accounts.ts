import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Every IAM list is one tenant's: each index starts with tenant_id, then serves a filter and a sort.
    // The common "accounts of a type, enabled, created since, newest first" list: equality on the first
    // three columns, then created_at both bounds the range and gives the order, so count and page read
    // nothing but matching index entries.
    await trx.schema.createIndex('users_by_account_type').on('users').columns(['tenant_id', 'account_type', 'status', 'created_at']).execute()
    await trx.schema.createIndex('users_by_created_at').on('users').columns(['tenant_id', 'created_at']).execute()
    await trx.schema.createIndex('users_by_expires_at').on('users').columns(['tenant_id', 'expires_at']).execute()
    await trx.schema.createIndex('users_by_auth_type').on('users').columns(['tenant_id', 'auth_type']).execute()
    // IAM shows a never-updated account's updated_at as its created_at; the index holds that same expression.
    await trx.schema
      .createIndex('users_by_updated_at')
      .on('users')
      .expression(sql`tenant_id, coalesce(updated_at, created_at)`)
      .execute()
  })
}
