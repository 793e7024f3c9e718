import { sql, type Kysely } from 'kysely'
import { isPostgres } from '../src/storage/migration-engine.js'

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return upOnPostgres(db)
  await db.transaction().execute(async (trx) => {
    // Substring search over name, email and external id (the admin list's `q`, IAM's `filter[email__match]`):
    // FTS5's trigram tokenizer indexes every run of three characters, folded to lower case beyond ASCII.
    // External content: the text stays in users, keyed by its rowid; the index holds only the trigrams.
    await sql`create virtual table users_search using fts5(
      name, email, external_id,
      content = 'users', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 0'
    )`.execute(trx)
    // Kept in the same transaction as the row. An external-content index forgets a row by being told
    // the values it indexed, which only the old row still has.
    await sql`create trigger users_search_insert after insert on users begin
      insert into users_search (rowid, name, email, external_id) values (new.rowid, new.name, new.email, new.external_id);
    end`.execute(trx)
    await sql`create trigger users_search_delete after delete on users begin
      insert into users_search (users_search, rowid, name, email, external_id)
        values ('delete', old.rowid, old.name, old.email, old.external_id);
    end`.execute(trx)
    await sql`create trigger users_search_update after update of name, email, external_id on users begin
      insert into users_search (users_search, rowid, name, email, external_id)
        values ('delete', old.rowid, old.name, old.email, old.external_id);
      insert into users_search (rowid, name, email, external_id) values (new.rowid, new.name, new.email, new.external_id);
    end`.execute(trx)
    await sql`insert into users_search (users_search) values ('rebuild')`.execute(trx)
  })
}

/**
 * The same search on PostgreSQL: pg_trgm GIN indexes over the lower-cased columns, which serve the
 * `lower(column) like '%…%'` the user repository asks (folded by the database's locale), and one over
 * `email_lower` for IAM's `filter[email__match]` (an `ilike`, which folds ASCII as SQLite's LIKE does).
 * pg_trgm is a trusted extension: the database's owner may create it.
 */
async function upOnPostgres(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`create extension if not exists pg_trgm`.execute(trx)
    for (const column of ['name', 'email', 'external_id']) {
      await sql.raw(`create index users_search_${column} on users using gin (lower(${column}) gin_trgm_ops)`).execute(trx)
    }
    await sql`create index users_search_email_lower on users using gin (email_lower gin_trgm_ops)`.execute(trx)
  })
}
