import { sql, type Kysely } from 'kysely'
import type { IdempotencyRepository } from '../../core/ports/idempotency-repository.js'
import { idempotencyQueries, scopedKey, toIdempotencyEntry } from '../idempotency-queries.js'
import { param } from '../query-param.js'
import type { IdempotencyKeysTable, Tables } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

export function pgIdempotencyRepository(db: Kysely<Tables>): (c: PgConnection) => IdempotencyRepository {
  const compiled = idempotencyQueries(db)
  const q = {
    find: pgQuery<IdempotencyKeysTable>(compiled.find),
    put: pgQuery(compiled.put),
    complete: pgQuery(compiled.complete),
    release: pgQuery(compiled.release),
    // By row address through the expiry index: one bounded batch, however many entries expired.
    prune: pgQuery(db.deleteFrom('idempotency_keys').where(sql.ref('ctid'), '=', sql`any(array(${
      db.selectFrom('idempotency_keys').select(sql.ref('ctid').as('ctid')).where('expires_at', '<=', param('now')).limit(param('limit'))
    }))`).compile()),
  }

  return (c) => ({
    async find(scope, keyHash) {
      const row = await c.first(q.find, scopedKey(scope, keyHash))
      return row ? toIdempotencyEntry(row) : null
    },
    async put(scope, entry) {
      await c.run(q.put, { ...scopedKey(scope, entry.keyHash), ...entry })
    },
    async complete(scope, keyHash, requestHash, response) {
      await c.run(q.complete, { ...scopedKey(scope, keyHash), requestHash, response })
    },
    async release(scope, keyHash, requestHash) {
      await c.run(q.release, { ...scopedKey(scope, keyHash), requestHash })
    },
    async pruneExpired(now, limit) {
      return c.run(q.prune, { now, limit })
    },
  })
}
