import type { Kysely } from 'kysely'
import type { IdempotencyEntry, IdempotencyScope } from '../core/ports/idempotency-repository.js'
import { param } from './query-param.js'
import type { IdempotencyKeysTable, Tables } from './sqlite/tables.js'

// The Idempotency-Key queries both engines run as they are; only the batched prune differs (rowid, ctid).

export function idempotencyQueries(db: Kysely<Tables>) {
  const key = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q =>
    query.where('tenant_id', '=', param('tenantId')).where('actor', '=', param('actor')).where('key_hash', '=', param('keyHash'))
  return {
    find: key(db.selectFrom('idempotency_keys').selectAll()).compile(),
    put: db.insertInto('idempotency_keys').values({
      tenant_id: param('tenantId'), actor: param('actor'), key_hash: param('keyHash'), request_hash: param('requestHash'),
      response: param('response'), locked_until: param('lockedUntil'), expires_at: param('expiresAt'), created_at: param('createdAt'),
    }).onConflict((oc) => oc.columns(['tenant_id', 'actor', 'key_hash']).doUpdateSet((eb) => ({
      request_hash: eb.ref('excluded.request_hash'), response: eb.ref('excluded.response'), locked_until: eb.ref('excluded.locked_until'),
      expires_at: eb.ref('excluded.expires_at'), created_at: eb.ref('excluded.created_at'),
    }))).compile(),
    complete: key(db.updateTable('idempotency_keys').set({ response: param('response') }))
      .where('request_hash', '=', param('requestHash')).where('response', 'is', null).compile(),
    release: key(db.deleteFrom('idempotency_keys'))
      .where('request_hash', '=', param('requestHash')).where('response', 'is', null).compile(),
  }
}

/** The key columns of one scope's `keyHash` ('' for the bootstrap key's tenant). */
export function scopedKey(scope: IdempotencyScope, keyHash: string) {
  return { tenantId: scope.tenantId ?? '', actor: scope.actor, keyHash }
}

export function toIdempotencyEntry(row: IdempotencyKeysTable): IdempotencyEntry {
  return {
    keyHash: row.key_hash, requestHash: row.request_hash, response: row.response,
    lockedUntil: row.locked_until, expiresAt: row.expires_at, createdAt: row.created_at,
  }
}
