import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, type Kysely, type MigrationResultSet } from 'kysely'
import { StorageError } from '../core/errors.js'

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url))

/** Brings the schema up to date with every file in `migrations/`; a current database runs none. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_FOLDER }),
    // Fixed names: a database migrated once must be recognised by every later version.
    migrationTableName: 'roster_migration',
    migrationLockTableName: 'roster_migration_lock',
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw new StorageError('Database migration failed', { cause: result.error })
  return result
}
