import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { IdempotencyEntry, IdempotencyRepository, IdempotencyScope } from '../../core/ports/idempotency-repository.js'
import { param, prepareQuery } from './prepared.js'
import type { IdempotencyKeysTable, Tables } from './tables.js'

export function createSqliteIdempotencyRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): IdempotencyRepository {
  const key = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q =>
    query.where('tenant_id', '=', param('tenantId')).where('actor', '=', param('actor')).where('key_hash', '=', param('keyHash'))
  const q = {
    find: prepareQuery<IdempotencyKeysTable>(handle, key(db.selectFrom('idempotency_keys').selectAll()).compile()),
    put: prepareQuery(handle, db.insertInto('idempotency_keys').values({
      tenant_id: param('tenantId'), actor: param('actor'), key_hash: param('keyHash'), request_hash: param('requestHash'),
      response: param('response'), locked_until: param('lockedUntil'), expires_at: param('expiresAt'), created_at: param('createdAt'),
    }).onConflict((oc) => oc.columns(['tenant_id', 'actor', 'key_hash']).doUpdateSet((eb) => ({
      request_hash: eb.ref('excluded.request_hash'), response: eb.ref('excluded.response'), locked_until: eb.ref('excluded.locked_until'),
      expires_at: eb.ref('excluded.expires_at'), created_at: eb.ref('excluded.created_at'),
    }))).compile()),
    complete: prepareQuery(handle, key(db.updateTable('idempotency_keys').set({ response: param('response') }))
      .where('request_hash', '=', param('requestHash')).where('response', 'is', null).compile()),
    release: prepareQuery(handle, key(db.deleteFrom('idempotency_keys'))
      .where('request_hash', '=', param('requestHash')).where('response', 'is', null).compile()),
    // By rowid through the expiry index: one bounded batch, however many entries expired.
    prune: prepareQuery(handle, db.deleteFrom('idempotency_keys').where(sql.ref('rowid'), 'in',
      db.selectFrom('idempotency_keys').select(sql.ref('rowid').as('rowid')).where('expires_at', '<=', param('now')).limit(param('limit')))
      .compile()),
  }
  const scoped = (scope: IdempotencyScope, keyHash: string) => ({ tenantId: scope.tenantId ?? '', actor: scope.actor, keyHash })

  return {
    async find(scope, keyHash) {
      const row = q.find.get(scoped(scope, keyHash))
      return row ? toIdempotencyEntry(row) : null
    },
    async put(scope, entry) {
      q.put.run({ ...scoped(scope, entry.keyHash), ...entry })
    },
    async complete(scope, keyHash, requestHash, response) {
      q.complete.run({ ...scoped(scope, keyHash), requestHash, response })
    },
    async release(scope, keyHash, requestHash) {
      q.release.run({ ...scoped(scope, keyHash), requestHash })
    },
    async pruneExpired(now, limit) {
      return q.prune.run({ now, limit }).changes
    },
  }
}

/** A stored row as the port's entry; the PostgreSQL adapter's rows have the same shape. */
export function toIdempotencyEntry(row: IdempotencyKeysTable): IdempotencyEntry {
  return {
    keyHash: row.key_hash, requestHash: row.request_hash, response: row.response,
    lockedUntil: row.locked_until, expiresAt: row.expires_at, createdAt: row.created_at,
  }
}
