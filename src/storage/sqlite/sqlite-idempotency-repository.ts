import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { IdempotencyRepository } from '../../core/ports/idempotency-repository.js'
import { idempotencyQueries, scopedKey, toIdempotencyEntry } from '../idempotency-queries.js'
import { param, prepareQuery } from './prepared.js'
import type { IdempotencyKeysTable, Tables } from './tables.js'

export function createSqliteIdempotencyRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): IdempotencyRepository {
  const compiled = idempotencyQueries(db)
  const q = {
    find: prepareQuery<IdempotencyKeysTable>(handle, compiled.find),
    put: prepareQuery(handle, compiled.put),
    complete: prepareQuery(handle, compiled.complete),
    release: prepareQuery(handle, compiled.release),
    // By rowid through the expiry index: one bounded batch, however many entries expired.
    prune: prepareQuery(handle, db.deleteFrom('idempotency_keys').where(sql.ref('rowid'), 'in',
      db.selectFrom('idempotency_keys').select(sql.ref('rowid').as('rowid')).where('expires_at', '<=', param('now')).limit(param('limit')))
      .compile()),
  }

  return {
    async find(scope, keyHash) {
      const row = q.find.get(scopedKey(scope, keyHash))
      return row ? toIdempotencyEntry(row) : null
    },
    async put(scope, entry) {
      q.put.run({ ...scopedKey(scope, entry.keyHash), ...entry })
    },
    async complete(scope, keyHash, requestHash, response) {
      q.complete.run({ ...scopedKey(scope, keyHash), requestHash, response })
    },
    async release(scope, keyHash, requestHash) {
      q.release.run({ ...scopedKey(scope, keyHash), requestHash })
    },
    async pruneExpired(now, limit) {
      return q.prune.run({ now, limit }).changes
    },
  }
}
