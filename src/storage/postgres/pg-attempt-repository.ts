import { sql, type Kysely } from 'kysely'
import type { AttemptRecord, AttemptRepository } from '../../core/ports/attempt-repository.js'
import { param } from '../query-param.js'
import type { Tables } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

export function pgAttemptRepository(db: Kysely<Tables>): (c: PgConnection) => AttemptRepository {
  const key = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q =>
    query.where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId')).where('kind', '=', param('kind'))
  const q = {
    find: pgQuery<{ failures: number; locked_until: string | null }>(key(db.selectFrom('auth_attempts').select(['failures', 'locked_until'])).compile()),
    // Inserted from the user's own row, so a user of another tenant (or one deleted meanwhile) gets no record.
    save: pgQuery(db.insertInto('auth_attempts')
      .columns(['tenant_id', 'user_id', 'kind', 'failures', 'locked_until', 'updated_at'])
      .expression(db.selectFrom('users').select([
        'tenant_id', 'id', sql`${param('kind')}::text`.as('kind'), sql`${param('failures')}::integer`.as('failures'),
        sql`${param('lockedUntil')}::text`.as('locked_until'), sql`${param('at')}::text`.as('updated_at'),
      ]).where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')))
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet((eb) => ({
        failures: eb.ref('excluded.failures'), locked_until: eb.ref('excluded.locked_until'), updated_at: eb.ref('excluded.updated_at'),
      })))
      .compile()),
    clear: pgQuery(key(db.deleteFrom('auth_attempts')).compile()),
  }
  return (c) => ({
    async find(tenantId, userId, kind) {
      const row = await c.first(q.find, { tenantId, userId, kind })
      return row ? { failures: row.failures, lockedUntil: row.locked_until } : null
    },
    async save(tenantId, userId, kind, record: AttemptRecord, at) {
      await c.run(q.save, { tenantId, userId, kind, failures: record.failures, lockedUntil: record.lockedUntil, at })
    },
    async clear(tenantId, userId, kind) {
      await c.run(q.clear, { tenantId, userId, kind })
    },
  })
}
