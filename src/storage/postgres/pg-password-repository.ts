import { sql, type Kysely } from 'kysely'
import type { UserId } from '../../core/ids.js'
import type { PasswordRecord, PasswordRepository } from '../../core/ports/password-repository.js'
import type { UserStatus } from '../../core/users/user.js'
import { param } from '../query-param.js'
import type { Tables } from '../sqlite/tables.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

type RecordRow = { id: string; number: number; password_hash: string | null; status: string; expires_at: string | null }

export function pgPasswordRepository(db: Kysely<Tables>): (c: PgConnection) => PasswordRepository {
  const inTenant = <Q extends { where: (...args: any[]) => any }>(query: Q) => query.where('tenant_id', '=', param('tenantId'))
  const q = {
    byEmail: pgQuery<RecordRow>(inTenant(db.selectFrom('users').select(['id', 'number', 'password_hash', 'status', 'expires_at']))
      .where('email_lower', '=', param('emailLower')).compile()),
    setHash: pgQuery(inTenant(db.updateTable('users').set({
      password_hash: param('hash'), auth_type: param('authType'),
      password_reset_token_hash: null, password_reset_token_expires_at: null, version: sql`version + 1`,
    })).where('id', '=', param('userId')).compile()),
    setToken: pgQuery(inTenant(db.updateTable('users').set({
      password_reset_token_hash: param('tokenHash'), password_reset_token_expires_at: param('expiresAt'), version: sql`version + 1`,
    })).where('id', '=', param('userId')).compile()),
    byToken: pgQuery<{ id: string }>(inTenant(db.selectFrom('users').select('id'))
      .where('password_reset_token_hash', '=', param('tokenHash'))
      .where('password_reset_token_expires_at', '>', param('now')).compile()),
    // One statement decides and spends, so two requests with the same token cannot both succeed.
    consume: pgQuery<{ id: string }>(inTenant(db.updateTable('users').set({
      password_hash: param('hash'), auth_type: 'password', updated_at: param('now'),
      password_reset_token_hash: null, password_reset_token_expires_at: null, version: sql`version + 1`,
    })).where('password_reset_token_hash', '=', param('tokenHash'))
      .where('password_reset_token_expires_at', '>', param('now')).returning('id').compile()),
  }

  return (c) => ({
    async findByEmail(tenantId, emailLower) {
      const row = await c.first(q.byEmail, { tenantId, emailLower })
      return row ? toRecord(row) : null
    },
    async setHash(tenantId, userId, hash) {
      return (await c.run(q.setHash, { tenantId, userId, hash, authType: hash === null ? 'none' : 'password' })) > 0
    },
    async setResetToken(tenantId, userId, tokenHash, expiresAt) {
      return (await c.run(q.setToken, { tenantId, userId, tokenHash, expiresAt })) > 0
    },
    async findByResetToken(tenantId, tokenHash, now) {
      return ((await c.first(q.byToken, { tenantId, tokenHash, now }))?.id as UserId | undefined) ?? null
    },
    async consumeResetToken(tenantId, tokenHash, now, hash) {
      return ((await c.first(q.consume, { tenantId, tokenHash, now, hash }))?.id as UserId | undefined) ?? null
    },
  })
}

function toRecord(row: RecordRow): PasswordRecord {
  return { userId: row.id as UserId, number: row.number, passwordHash: row.password_hash, status: row.status as UserStatus, expiresAt: row.expires_at }
}
