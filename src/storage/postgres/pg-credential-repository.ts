import { sql, type Kysely } from 'kysely'
import type { Credential, CredentialId } from '../../core/credentials/credential.js'
import type { TenantId, UserId } from '../../core/ids.js'
import type { CredentialRepository } from '../../core/ports/credential-repository.js'
import { param } from '../query-param.js'
import type { CredentialsTable, Tables } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'
import { toUser, type PgUserRow } from './pg-user-repository.js'

type CredentialRow = CredentialsTable & { last_used_at: string | null }
type MatchRow = PgUserRow & {
  c_id: string; c_tenant_id: string; c_user_id: string; c_name: string; c_prefix: string; c_created_at: string
  c_last_used_at: string | null; c_expires_at: string | null; c_revoked_at: string | null
  t_owner_user_id: string | null; t_created_at: string
}

// A credential's last use is its latest usage row's: one probe of (credential_id, hour), and metering never rewrites the credential.
const LAST_USED = sql<string | null>`(select u.last_used_at from usage_hourly as u where u.credential_id = credentials.id order by u.hour desc limit 1)`

export function pgCredentialRepository(db: Kysely<Tables>): (c: PgConnection) => CredentialRepository {
  const byTenant = () => db.selectFrom('credentials').selectAll().select(LAST_USED.as('last_used_at')).where('tenant_id', '=', param('tenantId'))
  const q = {
    insert: pgQuery(db.insertInto('credentials').values({
      id: param('id'), tenant_id: param('tenantId'), user_id: param('userId'), name: param('name'), secret_hash: param('secretHash'),
      prefix: param('prefix'), created_at: param('createdAt'), expires_at: param('expiresAt'), revoked_at: null, created_by_key_id: param('createdByKeyId'),
    }).compile()),
    // The verification hot path: credential, user and tenant in one statement.
    findByHash: pgQuery<MatchRow>(db.selectFrom('credentials as c')
      .innerJoin('tenants as t', 't.id', 'c.tenant_id')
      .leftJoin('users', (join) => join.onRef('users.id', '=', 'c.user_id').onRef('users.tenant_id', '=', 'c.tenant_id'))
      .selectAll('users')
      .select([
        'c.id as c_id', 'c.tenant_id as c_tenant_id', 'c.user_id as c_user_id', 'c.name as c_name', 'c.prefix as c_prefix',
        'c.created_at as c_created_at', 'c.expires_at as c_expires_at', 'c.revoked_at as c_revoked_at',
        sql<string | null>`(select u.last_used_at from usage_hourly as u where u.credential_id = c.id order by u.hour desc limit 1)`.as('c_last_used_at'),
        't.name as tenant_name', 't.owner_user_id as t_owner_user_id', 't.created_at as t_created_at',
      ])
      .where('c.secret_hash', '=', param('hash'))
      .compile()),
    findById: pgQuery<CredentialRow>(byTenant().where('id', '=', param('id')).compile()),
    listForUser: pgQuery<CredentialRow>(byTenant().where('user_id', '=', param('userId'))
      .orderBy('created_at', 'desc').orderBy('id', 'desc').compile()),
    revoke: pgQuery(db.updateTable('credentials').set({ revoked_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('revoked_at', 'is', null).compile()),
    revokeAllForUser: pgQuery(db.updateTable('credentials').set({ revoked_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId')).where('revoked_at', 'is', null).compile()),
  }

  return (c) => ({
    async insert(tenantId, credential) {
      await c.run(q.insert, { ...credential, tenantId })
      return {
        id: credential.id, tenantId, userId: credential.userId, name: credential.name, prefix: credential.prefix,
        createdAt: credential.createdAt, lastUsedAt: null, expiresAt: credential.expiresAt, revokedAt: null,
      }
    },
    async findByHash(hash) {
      const row = await c.first(q.findByHash, { hash })
      if (!row) return null
      return {
        credential: {
          id: row.c_id as CredentialId, tenantId: row.c_tenant_id as TenantId, userId: row.c_user_id as UserId, name: row.c_name,
          prefix: row.c_prefix, createdAt: row.c_created_at, lastUsedAt: row.c_last_used_at, expiresAt: row.c_expires_at, revokedAt: row.c_revoked_at,
        },
        user: row.id === null ? null : toUser(row),
        tenant: { id: row.c_tenant_id as TenantId, name: row.tenant_name, ownerUserId: row.t_owner_user_id as UserId | null, createdAt: row.t_created_at },
      }
    },
    async findById(tenantId, id) {
      const row = await c.first(q.findById, { tenantId, id })
      return row ? toCredential(row) : null
    },
    async listForUser(tenantId, userId) {
      return (await c.rows(q.listForUser, { tenantId, userId })).map(toCredential)
    },
    async revoke(tenantId, id, at) {
      await c.run(q.revoke, { tenantId, id, at })
      const row = await c.first(q.findById, { tenantId, id })
      return row ? toCredential(row) : null
    },
    async revokeAllForUser(tenantId, userId, at) {
      await c.run(q.revokeAllForUser, { tenantId, userId, at })
    },
  })
}

function toCredential(row: CredentialRow): Credential {
  return {
    id: row.id as CredentialId,
    tenantId: row.tenant_id as TenantId,
    userId: row.user_id as UserId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  }
}
