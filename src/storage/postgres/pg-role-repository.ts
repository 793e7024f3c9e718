import { sql, type Kysely } from 'kysely'
import type { TenantId, UserId } from '../../core/ids.js'
import type { RoleRepository } from '../../core/ports/role-repository.js'
import type { Role, RoleChanges, RoleId } from '../../core/roles/role.js'
import { param } from '../query-param.js'
import type { RolesTable, Tables } from '../sqlite/tables.js'
import { translatePgError } from './pg-errors.js'
import { num, pgQuery, PgQueryCache, type PgConnection } from './pg-prepared.js'

const SORT_COLUMNS = { name: 'roles.name', createdAt: 'roles.created_at', updatedAt: 'roles.updated_at' } as const
const CHANGE_COLUMNS = { name: 'name', description: 'description', updatedAt: 'updated_at' } as const

export function pgRoleRepository(db: Kysely<Tables>): (c: PgConnection) => RoleRepository {
  const q = {
    insert: pgQuery(db.insertInto('roles').values({
      id: param('id'), tenant_id: param('tenantId'), name: param('name'), description: param('description'),
      created_at: param('createdAt'), updated_at: null,
    }).compile()),
    findById: pgQuery<RolesTable>(db.selectFrom('roles').selectAll()
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    delete: pgQuery(db.deleteFrom('roles').where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    // Ids travel as one array argument, so pages of any size share this statement.
    forUsers: pgQuery<RolesTable & { user_id: string }>(db.selectFrom('user_roles')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .selectAll('roles').select('user_roles.user_id')
      .where('user_roles.tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`user_roles.user_id = any(${param('userIds')}::text[])`)
      .orderBy('roles.name').compile()),
    touchUser: pgQuery(db.updateTable('users').set({ version: sql`version + 1` })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')).compile()),
    grant: pgQuery(db.insertInto('user_roles').values({
      tenant_id: param('tenantId'), user_id: param('userId'), role_id: param('roleId'), created_at: param('at'),
    }).onConflict((oc) => oc.doNothing()).compile()),
    revoke: pgQuery(db.deleteFrom('user_roles').where('tenant_id', '=', param('tenantId'))
      .where('user_id', '=', param('userId')).where('role_id', '=', param('roleId')).compile()),
  }
  const pages = new PgQueryCache<RolesTable>()
  const counts = new PgQueryCache<{ total: string }>()
  const updates = new PgQueryCache<never>()

  return (c) => {
    const findById = async (tenantId: TenantId, id: RoleId) => {
      const row = await c.first(q.findById, { tenantId, id })
      return row ? toRole(row) : null
    }
    return {
      async insert(tenantId, role) {
        try {
          await c.run(q.insert, { ...role, tenantId })
        } catch (error) {
          translatePgError(error)
        }
        return { ...role, tenantId, updatedAt: null, version: 1 }
      },
      findById,
      async list(tenantId, query) {
        const filters = [query.name !== undefined && 'name', query.nameMatch !== undefined && 'match'].filter(Boolean).join(',')
        const base = () => {
          let out = db.selectFrom('roles').where('roles.tenant_id', '=', param('tenantId'))
          if (query.name !== undefined) out = out.where('roles.name', '=', param('name'))
          // lower() of a "C" column folds ASCII only, as SQLite's lower() does.
          if (query.nameMatch !== undefined) out = out.where(sql<boolean>`lower(roles.name) like ${param('match')} escape '\\'`)
          return out
        }
        const sortShape = query.sort.map((s) => `${s.field}:${s.descending}`).join(',')
        const page = pages.get(`${filters}|${sortShape}`, () => {
          let out = base().selectAll()
          // NULL first ascending and last descending, as SQLite orders it.
          for (const key of query.sort) out = out.orderBy(sql.ref(SORT_COLUMNS[key.field]), (ob) => (key.descending ? ob.desc().nullsLast() : ob.asc().nullsFirst()))
          return out.orderBy('roles.id').limit(param('limit')).offset(param('offset')).compile()
        })
        const count = counts.get(filters, () => base().select(sql<string>`count(*)`.as('total')).compile())
        const args = {
          tenantId, limit: query.limit, offset: query.offset, name: query.name,
          match: query.nameMatch === undefined ? undefined : `%${query.nameMatch.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%')}%`,
        }
        return { roles: (await c.rows(page, args)).map(toRole), total: num((await c.first(count, args))?.total) }
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
          if ((await c.run(statement, { ...changes, tenantId, id })) === 0) return null
        } catch (error) {
          translatePgError(error)
        }
        return findById(tenantId, id)
      },
      async delete(tenantId, id) {
        return (await c.run(q.delete, { tenantId, id })) > 0
      },
      async forUsers(tenantId, userIds) {
        const held = new Map<UserId, Role[]>()
        if (userIds.length === 0) return held
        for (const row of await c.rows(q.forUsers, { tenantId, userIds })) {
          const userId = row.user_id as UserId
          const roles = held.get(userId) ?? []
          roles.push(toRole(row))
          held.set(userId, roles)
        }
        return held
      },
      async grant(tenantId, userId, roleIds, at) {
        let changed = 0
        for (const roleId of roleIds) changed += await c.run(q.grant, { tenantId, userId, roleId, at })
        // The account's roles are part of what its GET shows, so its version moves with them.
        if (changed > 0) await c.run(q.touchUser, { tenantId, userId })
      },
      async revoke(tenantId, userId, roleIds) {
        let changed = 0
        for (const roleId of roleIds) changed += await c.run(q.revoke, { tenantId, userId, roleId })
        if (changed > 0) await c.run(q.touchUser, { tenantId, userId })
      },
    }
  }
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
