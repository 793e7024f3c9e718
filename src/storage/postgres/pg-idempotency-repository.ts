import { sql, type Kysely } from 'kysely'
import type { IdempotencyRepository, IdempotencyScope } from '../../core/ports/idempotency-repository.js'
import { param } from '../query-param.js'
import { toIdempotencyEntry } from '../sqlite/sqlite-idempotency-repository.js'
import type { IdempotencyKeysTable, Tables } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

export function pgIdempotencyRepository(db: Kysely<Tables>): (c: PgConnection) => IdempotencyRepository {
  const key = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q =>
    query.where('tenant_id', '=', param('tenantId')).where('actor', '=', param('actor')).where('key_hash', '=', param('keyHash'))
  const q = {
    find: pgQuery<IdempotencyKeysTable>(key(db.selectFrom('idempotency_keys').selectAll()).compile()),
    put: pgQuery(db.insertInto('idempotency_keys').values({
      tenant_id: param('tenantId'), actor: param('actor'), key_hash: param('keyHash'), request_hash: param('requestHash'),
      response: param('response'), locked_until: param('lockedUntil'), expires_at: param('expiresAt'), created_at: param('createdAt'),
    }).onConflict((oc) => oc.columns(['tenant_id', 'actor', 'key_hash']).doUpdateSet((eb) => ({
      request_hash: eb.ref('excluded.request_hash'), response: eb.ref('excluded.response'), locked_until: eb.ref('excluded.locked_until'),
      expires_at: eb.ref('excluded.expires_at'), created_at: eb.ref('excluded.created_at'),
    }))).compile()),
    complete: pgQuery(key(db.updateTable('idempotency_keys').set({ response: param('response') }))
      .where('request_hash', '=', param('requestHash')).where('response', 'is', null).compile()),
    release: pgQuery(key(db.deleteFrom('idempotency_keys'))
      .where('request_hash', '=', param('requestHash')).where('response', 'is', null).compile()),
    // By row address through the expiry index: one bounded batch, however many entries expired.
    prune: pgQuery(db.deleteFrom('idempotency_keys').where(sql.ref('ctid'), '=', sql`any(array(${
      db.selectFrom('idempotency_keys').select(sql.ref('ctid').as('ctid')).where('expires_at', '<=', param('now')).limit(param('limit'))
    }))`).compile()),
  }
  const scoped = (scope: IdempotencyScope, keyHash: string) => ({ tenantId: scope.tenantId ?? '', actor: scope.actor, keyHash })

  return (c) => ({
    async find(scope, keyHash) {
      const row = await c.first(q.find, scoped(scope, keyHash))
      return row ? toIdempotencyEntry(row) : null
    },
    async put(scope, entry) {
      await c.run(q.put, { ...scoped(scope, entry.keyHash), ...entry })
    },
    async complete(scope, keyHash, requestHash, response) {
      await c.run(q.complete, { ...scoped(scope, keyHash), requestHash, response })
    },
    async release(scope, keyHash, requestHash) {
      await c.run(q.release, { ...scoped(scope, keyHash), requestHash })
    },
    async pruneExpired(now, limit) {
      return c.run(q.prune, { now, limit })
    },
  })
}
