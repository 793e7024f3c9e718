import { accessSync, constants, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConflictError, StorageError } from '../../core/errors.js'

/** Column of a unique index → the domain field and message it stands for. */
const UNIQUE_FIELDS: Record<string, [field: string, message: string]> = {
  'users.email_lower': ['email', 'A user with this email already exists'],
  'users.external_id': ['externalId', 'A user with this external_id already exists'],
}

/**
 * Rethrows a unique-constraint failure as ConflictError so nothing above storage sees an SQLITE_* code;
 * anything else is rethrown as it is.
 */
export function translateSqliteError(error: unknown): never {
  const e = error as { code?: string; message?: string }
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    for (const [column, [field, message]] of Object.entries(UNIQUE_FIELDS)) {
      if (e.message?.includes(column)) throw new ConflictError(field, message)
    }
  }
  throw error
}

/** Why the database at `path` could not be opened, as one sentence an operator can act on. */
export function openFailure(path: string, error: unknown): StorageError {
  const e = error as { code?: string; message?: string }
  const reason =
    /directory does not exist/i.test(e?.message ?? '') ? 'its folder does not exist'
    : e?.code === 'SQLITE_NOTADB' ? 'the file is not an SQLite database'
    : e?.code === 'SQLITE_CANTOPEN' ? whyCannotOpen(path)
    : e?.code === 'SQLITE_READONLY' || e?.code === 'SQLITE_PERM' || e?.code === 'SQLITE_AUTH' ? 'permission denied'
    : e?.code === 'SQLITE_CORRUPT' ? 'the file is corrupt'
    : (e?.message ?? String(error))
  return new StorageError(`cannot open the database at ${path}: ${reason}`, { cause: error })
}

// SQLite says only "unable to open database file"; the file system tells which of the usual reasons it is.
function whyCannotOpen(path: string): string {
  try {
    if (statSync(path).isDirectory()) return 'it is a folder, not a file'
    accessSync(path, constants.R_OK | constants.W_OK)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
    if (code === 'ENOENT') return canCreateIn(dirname(path)) ? 'it cannot be created' : 'permission denied: the file cannot be created in its folder'
  }
  return 'it cannot be opened'
}

function canCreateIn(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK)
    return true
  } catch {
    return false
  }
}
