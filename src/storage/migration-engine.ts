import { PostgresAdapter, sql, type Expression, type Kysely } from 'kysely'

/*
 * What a migration needs to know about the engine it runs on. The files in `migrations/` run on SQLite and
 * on PostgreSQL; they branch only where the SQL differs, and every SQLite branch is the statement that
 * migration always ran, so a database migrated by an earlier roster sees no change.
 */

/** True when `db` talks to PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

/**
 * The type of a text column that is compared, sorted or paged on: on PostgreSQL it orders byte by byte
 * (collation "C"), as SQLite does, whatever locale the database was created with, so ids, timestamps,
 * names and cursors sort the same on both engines.
 */
export function orderedText(db: Kysely<any>): 'text' | Expression<unknown> {
  return isPostgres(db) ? sql`text collate "C"` : 'text'
}

/** A counter that may outgrow 32 bits (usage): `bigint` on PostgreSQL, where `integer` is 32-bit; SQLite's is 64-bit already. */
export function counter(db: Kysely<any>): 'integer' | 'bigint' {
  return isPostgres(db) ? 'bigint' : 'integer'
}
