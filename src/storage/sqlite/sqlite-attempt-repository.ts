import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { AttemptRecord, AttemptRepository } from '../../core/ports/attempt-repository.js'
import { param, prepareQuery } from './prepared.js'
import type { Tables } from './tables.js'

export function createSqliteAttemptRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): AttemptRepository {
  const key = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q =>
    query.where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId')).where('kind', '=', param('kind'))
  const q = {
    find: prepareQuery<{ failures: number; locked_until: string | null }>(handle,
      key(db.selectFrom('auth_attempts').select(['failures', 'locked_until'])).compile()),
    // Inserted from the user's own row, so a user of another tenant (or one deleted meanwhile) gets no record.
    save: prepareQuery(handle, db.insertInto('auth_attempts')
      .columns(['tenant_id', 'user_id', 'kind', 'failures', 'locked_until', 'updated_at'])
      .expression(db.selectFrom('users').select([
        'tenant_id', 'id', sql`${param('kind')}`.as('kind'), sql`${param('failures')}`.as('failures'),
        sql`${param('lockedUntil')}`.as('locked_until'), sql`${param('at')}`.as('updated_at'),
      ]).where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')))
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({
        failures: eb.ref('excluded.failures'), locked_until: eb.ref('excluded.locked_until'), updated_at: eb.ref('excluded.updated_at'),
      })))
      .compile()),
    clear: prepareQuery(handle, key(db.deleteFrom('auth_attempts')).compile()),
  }

  return {
    async find(tenantId, userId, kind) {
      const row = q.find.get({ tenantId, userId, kind })
      return row ? { failures: row.failures, lockedUntil: row.locked_until } : null
    },
    async save(tenantId, userId, kind, record: AttemptRecord, at) {
      q.save.run({ tenantId, userId, kind, failures: record.failures, lockedUntil: record.lockedUntil, at })
    },
    async clear(tenantId, userId, kind) {
      q.clear.run({ tenantId, userId, kind })
    },
  }
}
