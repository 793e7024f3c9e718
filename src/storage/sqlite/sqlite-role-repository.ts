import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import { ConflictError } from '../../core/errors.js'
import type { TenantId, UserId } from '../../core/ids.js'
import type { RoleRepository } from '../../core/ports/role-repository.js'
import type { Role, RoleChanges, RoleId } from '../../core/roles/role.js'
import { param, prepareQuery, QueryCache } from './prepared.js'
import { translateSqliteError } from './sqlite-errors.js'
import type { RolesTable, Tables } from './tables.js'

const SORT_COLUMNS = { name: 'roles.name', createdAt: 'roles.created_at', updatedAt: 'roles.updated_at' } as const
const CHANGE_COLUMNS = { name: 'name', description: 'description', updatedAt: 'updated_at' } as const

export function createSqliteRoleRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): RoleRepository {
  const q = {
    insert: prepareQuery(handle, db.insertInto('roles').values({
      id: param('id'), tenant_id: param('tenantId'), name: param('name'), description: param('description'),
      created_at: param('createdAt'), updated_at: null,
    }).compile()),
    findById: prepareQuery<RolesTable>(handle, db.selectFrom('roles').selectAll()
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    delete: prepareQuery(handle, db.deleteFrom('roles').where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    // Ids travel as one JSON argument, so pages of any size share this statement.
    forUsers: prepareQuery<RolesTable & { user_id: string }>(handle, db.selectFrom('user_roles')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .selectAll('roles').select('user_roles.user_id')
      .where('user_roles.tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`user_roles.user_id in (select value from json_each(${param('userIds')}))`)
      .orderBy('roles.name').compile()),
    touchUser: prepareQuery(handle, db.updateTable('users').set({ version: sql`version + 1` })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')).compile()),
    grant: prepareQuery(handle, db.insertInto('user_roles').values({
      tenant_id: param('tenantId'), user_id: param('userId'), role_id: param('roleId'), created_at: param('at'),
    }).onConflict((oc) => oc.doNothing()).compile()),
    revoke: prepareQuery(handle, db.deleteFrom('user_roles').where('tenant_id', '=', param('tenantId'))
      .where('user_id', '=', param('userId')).where('role_id', '=', param('roleId')).compile()),
  }
  const pages = new QueryCache<RolesTable>(handle)
  const counts = new QueryCache<{ total: number }>(handle)
  const updates = new QueryCache<never>(handle)

  return {
    async insert(tenantId, role) {
      try {
        q.insert.run({ ...role, tenantId })
      } catch (error) {
        translateRoleError(error)
      }
      return { ...role, tenantId, updatedAt: null, version: 1 }
    },
    async findById(tenantId, id) {
      const row = q.findById.get({ tenantId, id })
      return row ? toRole(row) : null
    },
    async list(tenantId, query) {
      const filters = [query.name !== undefined && 'name', query.nameMatch !== undefined && 'match'].filter(Boolean).join(',')
      const base = () => {
        let out = db.selectFrom('roles').where('roles.tenant_id', '=', param('tenantId'))
        if (query.name !== undefined) out = out.where('roles.name', '=', param('name'))
        if (query.nameMatch !== undefined) out = out.where(sql<boolean>`lower(roles.name) like ${param('match')} escape '\\'`)
        return out
      }
      const sortShape = query.sort.map((s) => `${s.field}:${s.descending}`).join(',')
      const page = pages.get(`${filters}|${sortShape}`, () => {
        let out = base().selectAll()
        for (const key of query.sort) out = out.orderBy(SORT_COLUMNS[key.field], key.descending ? 'desc' : 'asc')
        return out.orderBy('roles.id').limit(param('limit')).offset(param('offset')).compile()
      })
      const count = counts.get(filters, () => base().select(sql<number>`count(*)`.as('total')).compile())
      const args = {
        tenantId, limit: query.limit, offset: query.offset, name: query.name,
        match: query.nameMatch === undefined ? undefined : `%${query.nameMatch.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%')}%`,
      }
      return { roles: page.all(args).map(toRole), total: count.get(args)?.total ?? 0 }
    },
    async update(tenantId, id, changes) {
      const keys = (Object.keys(changes) as (keyof RoleChanges)[]).filter((k) => changes[k] !== undefined).sort()
      const statement = updates.get(keys.join(','), () => {
        const set: Record<string, unknown> = {}
        for (const key of keys) set[CHANGE_COLUMNS[key]] = param(key)
        set['version'] = sql`version + 1`
        return db.updateTable('roles').set(set).where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()
      })
      try {
        if (statement.run({ ...changes, tenantId, id }).changes === 0) return null
      } catch (error) {
        translateRoleError(error)
      }
      const row = q.findById.get({ tenantId, id })
      return row ? toRole(row) : null
    },
    async delete(tenantId, id) {
      return q.delete.run({ tenantId, id }).changes > 0
    },
    async forUsers(tenantId, userIds) {
      const held = new Map<UserId, Role[]>()
      if (userIds.length === 0) return held
      for (const row of q.forUsers.all({ tenantId, userIds: JSON.stringify(userIds) })) {
        const userId = row.user_id as UserId
        const roles = held.get(userId) ?? []
        roles.push(toRole(row))
        held.set(userId, roles)
      }
      return held
    },
    async grant(tenantId, userId, roleIds, at) {
      let changed = 0
      for (const roleId of roleIds) changed += q.grant.run({ tenantId, userId, roleId, at }).changes
      // The account's roles are part of what its GET shows, so its version moves with them.
      if (changed > 0) q.touchUser.run({ tenantId, userId })
    },
    async revoke(tenantId, userId, roleIds) {
      let changed = 0
      for (const roleId of roleIds) changed += q.revoke.run({ tenantId, userId, roleId }).changes
      if (changed > 0) q.touchUser.run({ tenantId, userId })
    },
  }
}

/** A taken role name becomes ConflictError naming `name`; anything else goes to the shared translation. */
function translateRoleError(error: unknown): never {
  const e = error as { code?: string; message?: string }
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && e.message?.includes('roles.name')) {
    throw new ConflictError('name', 'A role with this name already exists')
  }
  return translateSqliteError(error)
}

function toRole(row: RolesTable): Role {
  return {
    id: row.id as RoleId,
    tenantId: row.tenant_id as TenantId,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version ?? 1,
  }
}
