import type { Kysely } from 'kysely'
import type { TenantId, UserId } from '../../core/ids.js'
import type { TenantRepository } from '../../core/ports/tenant-repository.js'
import type { Tenant } from '../../core/tenants/tenant.js'
import { param } from '../query-param.js'
import type { Tables, TenantsTable } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

export function pgTenantRepository(db: Kysely<Tables>): (c: PgConnection) => TenantRepository {
  const q = {
    insert: pgQuery(db.insertInto('tenants').values({
      id: param('id'), name: param('name'), owner_user_id: null, next_user_number: 1, created_at: param('createdAt'),
    }).compile()),
    findById: pgQuery<TenantsTable>(db.selectFrom('tenants').selectAll().where('id', '=', param('id')).compile()),
    list: pgQuery<TenantsTable>(db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').compile()),
    setOwner: pgQuery(db.updateTable('tenants').set({ owner_user_id: param('owner') }).where('id', '=', param('id')).compile()),
    bootstrap: pgQuery<{ hash: string }>(db.selectFrom('installation').select('bootstrap_key_hash as hash').where('id', '=', 1).compile()),
    setBootstrap: pgQuery(db.insertInto('installation')
      .values({ id: 1, bootstrap_key_hash: param('hash'), updated_at: param('at') })
      .onConflict((oc) => oc.column('id').doUpdateSet({ bootstrap_key_hash: param('hash'), updated_at: param('at') }))
      .compile()),
  }
  return (c) => ({
    async insert(tenant) {
      await c.run(q.insert, { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt })
      return tenant
    },
    async findById(tenantId) {
      const row = await c.first(q.findById, { id: tenantId })
      return row ? toTenant(row) : null
    },
    async list() {
      return (await c.rows(q.list)).map(toTenant)
    },
    async setOwner(tenantId, ownerUserId) {
      await c.run(q.setOwner, { id: tenantId, owner: ownerUserId })
    },
    async bootstrapKeyHash() {
      return (await c.first(q.bootstrap))?.hash ?? null
    },
    async setBootstrapKeyHash(hash, at) {
      await c.run(q.setBootstrap, { hash, at })
    },
  })
}

function toTenant(row: TenantsTable): Tenant {
  return { id: row.id as TenantId, name: row.name, ownerUserId: row.owner_user_id as UserId | null, createdAt: row.created_at }
}
