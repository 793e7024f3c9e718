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

/**
 * Serialization failure or deadlock: the transaction did nothing and may simply run again. So may a
 * usage upsert run outside SERIALIZABLE that raced another inserting the same hour's row: ON CONFLICT
 * arbitrates on the primary key only, so the loser trips the second unique index (credential, hour),
 * where SERIALIZABLE would have reported a serialization failure; run again, it finds the row and adds.
 */
export function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string }
  return e?.code === '40001' || e?.code === '40P01' || (e?.code === '23505' && e.constraint === 'usage_by_credential')
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
