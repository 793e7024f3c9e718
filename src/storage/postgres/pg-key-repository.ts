import type { Kysely } from 'kysely'
import type { AdminKeyId, TenantId } from '../../core/ids.js'
import type { AdminKey } from '../../core/keys/admin-key.js'
import type { Permission } from '../../core/permissions.js'
import type { KeyRepository } from '../../core/ports/key-repository.js'
import { param } from '../query-param.js'
import type { AdminKeysTable, Tables } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

export function pgKeyRepository(db: Kysely<Tables>): (c: PgConnection) => KeyRepository {
  const q = {
    insert: pgQuery(db.insertInto('admin_keys').values({
      id: param('id'), tenant_id: param('tenantId'), name: param('name'), secret_hash: param('hash'),
      prefix: param('prefix'), permissions: param('permissions'), created_at: param('createdAt'), revoked_at: null,
    }).compile()),
    findActiveByHash: pgQuery<AdminKeysTable>(db.selectFrom('admin_keys').selectAll()
      .where('secret_hash', '=', param('hash')).where('revoked_at', 'is', null).compile()),
    list: pgQuery<AdminKeysTable>(db.selectFrom('admin_keys').selectAll()
      .where('tenant_id', '=', param('tenantId')).orderBy('created_at', 'desc').orderBy('id').compile()),
    findById: pgQuery<AdminKeysTable>(db.selectFrom('admin_keys').selectAll()
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    revoke: pgQuery(db.updateTable('admin_keys').set({ revoked_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('revoked_at', 'is', null).compile()),
  }
  return (c) => ({
    async insert(tenantId, key) {
      await c.run(q.insert, { ...key, tenantId, hash: key.secretHash, permissions: JSON.stringify(key.permissions) })
      return { id: key.id, tenantId, name: key.name, prefix: key.prefix, permissions: key.permissions, createdAt: key.createdAt, revokedAt: null }
    },
    async findActiveByHash(hash) {
      const row = await c.first(q.findActiveByHash, { hash })
      return row ? toAdminKey(row) : null
    },
    async findById(tenantId, id) {
      const row = await c.first(q.findById, { tenantId, id })
      return row ? toAdminKey(row) : null
    },
    async list(tenantId) {
      return (await c.rows(q.list, { tenantId })).map(toAdminKey)
    },
    async revoke(tenantId, id, at) {
      await c.run(q.revoke, { tenantId, id, at })
      const row = await c.first(q.findById, { tenantId, id })
      return row ? toAdminKey(row) : null
    },
  })
}

function toAdminKey(row: AdminKeysTable): AdminKey {
  return {
    id: row.id as AdminKeyId,
    tenantId: row.tenant_id as TenantId,
    name: row.name,
    prefix: row.prefix,
    permissions: JSON.parse(row.permissions) as Permission[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}
