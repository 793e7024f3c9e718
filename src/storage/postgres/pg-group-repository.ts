import { sql, type Kysely } from 'kysely'
import type { Group, GroupId, GroupMembership } from '../../core/groups/group.js'
import type { TenantId, UserId } from '../../core/ids.js'
import type { GroupRepository } from '../../core/ports/group-repository.js'
import { param } from '../query-param.js'
import type { GroupsTable, Tables } from '../sqlite/tables.js'
import { translatePgError } from './pg-errors.js'
import { pgQuery, type PgConnection } from './pg-prepared.js'

export function pgGroupRepository(db: Kysely<Tables>): (c: PgConnection) => GroupRepository {
  const q = {
    insert: pgQuery(db.insertInto('groups').values({
      id: param('id'), tenant_id: param('tenantId'), name: param('name'), created_at: param('createdAt'), updated_at: null,
    }).compile()),
    findById: pgQuery<GroupsTable>(db.selectFrom('groups').selectAll()
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    list: pgQuery<GroupsTable>(db.selectFrom('groups').selectAll()
      .where('tenant_id', '=', param('tenantId')).orderBy('name').orderBy('id').compile()),
    rename: pgQuery(db.updateTable('groups').set({ name: param('name'), updated_at: param('at'), version: sql`version + 1` })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    delete: pgQuery(db.deleteFrom('groups').where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    touchUser: pgQuery(db.updateTable('users').set({ version: sql`version + 1` })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')).compile()),
    addMember: pgQuery(db.insertInto('group_memberships').values({
      tenant_id: param('tenantId'), group_id: param('groupId'), user_id: param('userId'), created_at: param('at'),
    }).onConflict((oc) => oc.doNothing()).compile()),
    removeMember: pgQuery(db.deleteFrom('group_memberships').where('tenant_id', '=', param('tenantId'))
      .where('group_id', '=', param('groupId')).where('user_id', '=', param('userId')).compile()),
    forUsers: pgQuery<{ user_id: string; group_id: string; name: string }>(db.selectFrom('group_memberships')
      .innerJoin('groups', 'groups.id', 'group_memberships.group_id')
      .select(['group_memberships.user_id', 'groups.id as group_id', 'groups.name'])
      .where('group_memberships.tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`group_memberships.user_id = any(${param('userIds')}::text[])`)
      .orderBy('groups.name').compile()),
  }

  return (c) => {
    const findById = async (tenantId: TenantId, id: GroupId) => {
      const row = await c.first(q.findById, { tenantId, id })
      return row ? toGroup(row) : null
    }
    return {
      async insert(tenantId, group) {
        try {
          await c.run(q.insert, { ...group, tenantId })
        } catch (error) {
          translatePgError(error)
        }
        return { ...group, tenantId, updatedAt: null, version: 1 }
      },
      findById,
      async list(tenantId) {
        return (await c.rows(q.list, { tenantId })).map(toGroup)
      },
      async rename(tenantId, id, name, at) {
        try {
          if ((await c.run(q.rename, { tenantId, id, name, at })) === 0) return null
        } catch (error) {
          translatePgError(error)
        }
        return findById(tenantId, id)
      },
      async delete(tenantId, id) {
        return (await c.run(q.delete, { tenantId, id })) > 0
      },
      async addMember(tenantId, groupId, userId, at) {
        // A user's groups are part of what its GET shows, so its version moves with them.
        if ((await c.run(q.addMember, { tenantId, groupId, userId, at })) > 0) await c.run(q.touchUser, { tenantId, userId })
      },
      async removeMember(tenantId, groupId, userId) {
        if ((await c.run(q.removeMember, { tenantId, groupId, userId })) === 0) return false
        await c.run(q.touchUser, { tenantId, userId })
        return true
      },
      async forUsers(tenantId, userIds) {
        const held = new Map<UserId, GroupMembership[]>()
        if (userIds.length === 0) return held
        for (const row of await c.rows(q.forUsers, { tenantId, userIds })) {
          const userId = row.user_id as UserId
          const groups = held.get(userId) ?? []
          groups.push({ groupId: row.group_id as GroupId, name: row.name })
          held.set(userId, groups)
        }
        return held
      },
    }
  }
}

function toGroup(row: GroupsTable): Group {
  return { id: row.id as GroupId, tenantId: row.tenant_id as TenantId, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at, version: row.version ?? 1 }
}
