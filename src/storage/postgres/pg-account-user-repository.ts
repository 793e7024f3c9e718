import { sql, type Kysely } from 'kysely'
import type { AccountUserRepository } from '../../core/ports/account-user-repository.js'
import { param } from '../query-param.js'
import type { Tables } from '../sqlite/tables.js'
import { num, pgQuery, type PgConnection } from './pg-prepared.js'
import { toUser, type PgUserRow } from './pg-user-repository.js'

export function pgAccountUserRepository(db: Kysely<Tables>): (c: PgConnection) => AccountUserRepository {
  // `is distinct from` keeps every user when the tenant has no owner (a plain `<>` against null matches none).
  const notOwner = sql<boolean>`users.id is distinct from (select tenants.owner_user_id from tenants where tenants.id = ${param('tenantId')})`
  const q = {
    page: pgQuery<PgUserRow>(db.selectFrom('users').selectAll('users')
      .select(sql<string>`(select tenants.name from tenants where tenants.id = users.tenant_id)`.as('tenant_name'))
      .where('users.tenant_id', '=', param('tenantId')).where(notOwner)
      .orderBy('users.number').limit(param('limit')).offset(param('offset')).compile()),
    // Every user of the tenant from the counters, less the owner when there is one: O(1).
    count: pgQuery<{ total: string }>(db.selectFrom('tenants')
      .select(sql<string>`(select coalesce(sum(users), 0) from user_counts where user_counts.tenant_id = tenants.id)
        - (select count(*) from users where users.id = tenants.owner_user_id and users.tenant_id = tenants.id)`.as('total'))
      .where('tenants.id', '=', param('tenantId')).compile()),
  }
  return (c) => ({
    async page(tenantId, { limit, offset }) {
      const users = (await c.rows(q.page, { tenantId, limit, offset })).map(toUser)
      return { users, total: num((await c.first(q.count, { tenantId }))?.total) }
    },
  })
}
