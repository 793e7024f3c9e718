import { sql, type Kysely } from 'kysely'
import type { TenantId, UserId } from '../../core/ids.js'
import type { TotpFactor, TotpFactorId } from '../../core/mfa/mfa.js'
import type { MfaRepository } from '../../core/ports/mfa-repository.js'
import { param } from '../query-param.js'
import type { MfaTotpFactorsTable, Tables } from '../sqlite/tables.js'
import { num, pgQuery, type PgConnection } from './pg-prepared.js'

export function pgMfaRepository(db: Kysely<Tables>): (c: PgConnection) => MfaRepository {
  const byUser = <Q extends { where: (...args: any[]) => Q }>(query: Q): Q =>
    query.where('tenant_id', '=', param('tenantId')).where('user_id', '=', param('userId'))
  const q = {
    findTotp: pgQuery<MfaTotpFactorsTable>(byUser(db.selectFrom('mfa_totp_factors').selectAll()).compile()),
    deletePending: pgQuery(byUser(db.deleteFrom('mfa_totp_factors')).where('status', '=', 'pending').compile()),
    insertTotp: pgQuery(db.insertInto('mfa_totp_factors').values({
      id: param('id'), tenant_id: param('tenantId'), user_id: param('userId'), secret: param('secret'), secret_key_id: param('keyId'),
      status: 'pending', last_used_step: null, created_at: param('createdAt'), confirmed_at: null,
    }).compile()),
    confirmTotp: pgQuery(db.updateTable('mfa_totp_factors')
      .set({ status: 'confirmed', last_used_step: param('step'), confirmed_at: param('at') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('status', '=', 'pending').compile()),
    // The compare-and-set that refuses a replayed code: only a later step than the last one moves it.
    useTotpStep: pgQuery(db.updateTable('mfa_totp_factors').set({ last_used_step: param('step') })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).where('status', '=', 'confirmed')
      .where(sql<boolean>`coalesce(last_used_step, -1) < ${param('step')}`).compile()),
    addRecoveryCode: pgQuery(db.insertInto('mfa_recovery_codes').values({
      tenant_id: param('tenantId'), user_id: param('userId'), code_hash: param('hash'), salt: param('salt'), created_at: param('at'), used_at: null,
    }).onConflict((oc) => oc.doNothing()).compile()),
    recoverySalt: pgQuery<{ salt: string }>(byUser(db.selectFrom('mfa_recovery_codes').select('salt'))
      .where('used_at', 'is', null).where('salt', 'is not', null).limit(1).compile()),
    useRecoveryCode: pgQuery(byUser(db.updateTable('mfa_recovery_codes').set({ used_at: param('at') }))
      .where('code_hash', '=', param('hash')).where('used_at', 'is', null).compile()),
    countRecoveryCodes: pgQuery<{ total: string }>(byUser(db.selectFrom('mfa_recovery_codes')
      .select(sql<string>`count(*)`.as('total'))).where('used_at', 'is', null).compile()),
    deleteTotp: pgQuery(byUser(db.deleteFrom('mfa_totp_factors')).compile()),
    deleteRecoveryCodes: pgQuery(byUser(db.deleteFrom('mfa_recovery_codes')).compile()),
  }

  return (c) => ({
    async findTotp(tenantId, userId) {
      const row = await c.first(q.findTotp, { tenantId, userId })
      return row ? toFactor(row) : null
    },
    async replacePendingTotp(tenantId, factor) {
      await c.run(q.deletePending, { tenantId, userId: factor.userId })
      await c.run(q.insertTotp, { id: factor.id, userId: factor.userId, createdAt: factor.createdAt, secret: factor.secret.value, keyId: factor.secret.keyId, tenantId })
      return { ...factor, tenantId, status: 'pending', lastUsedStep: null, confirmedAt: null }
    },
    async confirmTotp(tenantId, id, step, at) {
      return (await c.run(q.confirmTotp, { tenantId, id, step, at })) > 0
    },
    async useTotpStep(tenantId, id, step) {
      return (await c.run(q.useTotpStep, { tenantId, id, step })) > 0
    },
    async addRecoveryCodes(tenantId, userId, hashes, salt, at) {
      for (const hash of hashes) await c.run(q.addRecoveryCode, { tenantId, userId, hash, salt, at })
    },
    async recoverySalt(tenantId, userId) {
      return (await c.first(q.recoverySalt, { tenantId, userId }))?.salt ?? null
    },
    async useRecoveryCode(tenantId, userId, hash, at) {
      return (await c.run(q.useRecoveryCode, { tenantId, userId, hash, at })) > 0
    },
    async countRecoveryCodes(tenantId, userId) {
      return num((await c.first(q.countRecoveryCodes, { tenantId, userId }))?.total)
    },
    async deleteAll(tenantId, userId) {
      await c.run(q.deleteTotp, { tenantId, userId })
      await c.run(q.deleteRecoveryCodes, { tenantId, userId })
    },
  })
}

function toFactor(row: MfaTotpFactorsTable): TotpFactor {
  return {
    id: row.id as TotpFactorId,
    tenantId: row.tenant_id as TenantId,
    userId: row.user_id as UserId,
    secret: { keyId: row.secret_key_id ?? 'unsealed', value: row.secret },
    status: row.status as TotpFactor['status'],
    lastUsedStep: row.last_used_step,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
  }
}
