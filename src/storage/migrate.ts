import { Migrator, type Kysely, type MigrationResultSet } from 'kysely'
import { StorageError } from '../core/errors.js'
import { MIGRATIONS } from './migration-list.js'

/** Brings the schema up to date with every migration in `migrations/`; a current database runs none. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    // Fixed names: a database migrated once must be recognised by every later version.
    migrationTableName: 'roster_migration',
    migrationLockTableName: 'roster_migration_lock',
    // Each migration commits its own transaction. On PostgreSQL kysely holds a session advisory lock
    // (pg_advisory_lock) on one connection around the whole run, so processes starting together migrate
    // once; SQLite runs migrations this way already (no transactional DDL in kysely's adapter).
    disableTransactions: true,
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw new StorageError('Database migration failed', { cause: result.error })
  return result
}
