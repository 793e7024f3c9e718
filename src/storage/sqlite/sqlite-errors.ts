import { ConflictError } from '../../core/errors.js'

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
