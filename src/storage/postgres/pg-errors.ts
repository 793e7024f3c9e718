import { ConflictError, StorageError } from '../../core/errors.js'

/** Unique index → the domain field and message it stands for; the same as the SQLite adapter's. */
const UNIQUE_INDEXES: Record<string, [field: string, message: string]> = {
  users_by_email: ['email', 'A user with this email already exists'],
  users_by_external_id: ['externalId', 'A user with this external_id already exists'],
  roles_by_name: ['name', 'A role with this name already exists'],
  groups_by_name: ['name', 'A group with this name already exists'],
}

/** Rethrows a unique violation of a known index as ConflictError, so nothing above storage sees a SQLSTATE; anything else as it is. */
export function translatePgError(error: unknown): never {
  const e = error as { code?: string; constraint?: string }
  if (e?.code === '23505' && e.constraint !== undefined) {
    const known = UNIQUE_INDEXES[e.constraint]
    if (known) throw new ConflictError(known[0], known[1])
  }
  throw error
}

/** Serialization failure or deadlock: the transaction did nothing and may simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string })?.code
  return code === '40001' || code === '40P01'
}

/** Why PostgreSQL could not be opened, as one sentence an operator can act on. */
export function pgOpenFailure(error: unknown): StorageError {
  const e = error as { code?: string; message?: string }
  const reason =
    e?.code === 'ECONNREFUSED' ? 'nothing listens at that address'
    : e?.code === 'ENOTFOUND' ? 'the host name does not resolve'
    : e?.code === '28P01' || e?.code === '28000' ? 'authentication failed'
    : e?.code === '3D000' ? 'the database does not exist'
    : (e?.message ?? String(error))
  return new StorageError(`cannot open the PostgreSQL database: ${reason}`, { cause: error })
}
