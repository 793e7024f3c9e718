import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { CredentialId } from '../../core/credentials/credential.js'
import type { UserId } from '../../core/ids.js'
import type { UsageRepository } from '../../core/ports/usage-repository.js'
import { HOUR_MS } from '../../core/usage/usage.js'
import { param, prepareQuery } from './prepared.js'
import type { Tables } from './tables.js'

type Totals = { requests: number | null; units: number | null }

export function createSqliteUsageRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): UsageRepository {
  const forUser = db.selectFrom('usage_hourly')
    .where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId'))
    .where('hour', '>=', param('fromHour')).where('hour', '<', param('toHour'))
  const forTenant = db.selectFrom('usage_hourly')
    .where('tenant_id', '=', param('tenantId'))
    .where('hour', '>=', param('fromHour')).where('hour', '<', param('toHour'))
  const q = {
    // Adds to the counter in place: concurrent writers never lose an increment to a read-modify-write.
    add: prepareQuery(handle, db.insertInto('usage_hourly').values({
      credential_id: param('credentialId'), hour: param('hour'), tenant_id: param('tenantId'), user_id: param('userId'),
      requests: param('requests'), units: param('units'),
    }).onConflict((oc) => oc.columns(['credential_id', 'hour']).doUpdateSet({
      requests: sql`requests + excluded.requests`, units: sql`units + excluded.units`,
    })).compile()),
    touch: prepareQuery(handle, db.updateTable('credentials').set({ last_used_at: param('usedAt') })
      .where('id', '=', param('credentialId'))
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', param('usedAt'))])).compile()),
    byCredential: prepareQuery<{ credential_id: string } & Totals>(handle, forUser
      .select(['credential_id', sql<number>`sum(requests)`.as('requests'), sql<number>`sum(units)`.as('units')])
      .groupBy('credential_id').compile()),
    daily: prepareQuery<{ day: number } & Totals>(handle, forUser
      .select([sql<number>`hour / 24`.as('day'), sql<number>`sum(requests)`.as('requests'), sql<number>`sum(units)`.as('units')])
      .groupBy(sql`hour / 24`).orderBy(sql`hour / 24`).compile()),
    tenantTotals: prepareQuery<Totals & { users: number }>(handle, forTenant
      .select([sql<number>`sum(requests)`.as('requests'), sql<number>`sum(units)`.as('units'), sql<number>`count(distinct user_id)`.as('users')])
      .compile()),
    byUser: prepareQuery<{ user_id: string } & Totals>(handle, forTenant
      .select(['user_id', sql<number>`sum(requests)`.as('requests'), sql<number>`sum(units)`.as('units')])
      .groupBy('user_id').orderBy('requests', 'desc').orderBy('user_id').limit(param('limit')).offset(param('offset')).compile()),
  }

  return {
    async add(increments) {
      for (const inc of increments) {
        q.add.run(inc)
        q.touch.run(inc)
      }
    },
    async forUser(tenantId, userId, range) {
      const args = { tenantId, userId, ...range }
      return {
        byCredential: q.byCredential.all(args).map((row) => ({ credentialId: row.credential_id as CredentialId, ...totals(row) })),
        daily: q.daily.all(args).map((row) => ({ date: new Date(row.day * 24 * HOUR_MS).toISOString().slice(0, 10), ...totals(row) })),
      }
    },
    async forTenant(tenantId, range, page) {
      const args = { tenantId, ...range, ...page }
      const all = q.tenantTotals.get(args)
      return {
        totals: totals(all ?? { requests: 0, units: 0 }),
        userCount: all?.users ?? 0,
        users: q.byUser.all(args).map((row) => ({ userId: row.user_id as UserId, ...totals(row) })),
      }
    },
  }
}

function totals(row: Totals): { requests: number; units: number } {
  return { requests: row.requests ?? 0, units: row.units ?? 0 }
}
