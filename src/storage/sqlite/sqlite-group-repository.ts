import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import { ConflictError } from '../../core/errors.js'
import type { Group, GroupId, GroupMembership } from '../../core/groups/group.js'
import type { TenantId, UserId } from '../../core/ids.js'
import type { GroupRepository } from '../../core/ports/group-repository.js'
import { param, prepareQuery } from './prepared.js'
import { translateSqliteError } from './sqlite-errors.js'
import type { GroupsTable, Tables } from './tables.js'

export function createSqliteGroupRepository(db: Kysely<Tables>, handle: BetterSqlite3.Database): GroupRepository {
  const q = {
    insert: prepareQuery(handle, db.insertInto('groups').values({
      id: param('id'), tenant_id: param('tenantId'), name: param('name'), created_at: param('createdAt'), updated_at: null,
    }).compile()),
    findById: prepareQuery<GroupsTable>(handle, db.selectFrom('groups').selectAll()
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    list: prepareQuery<GroupsTable>(handle, db.selectFrom('groups').selectAll()
      .where('tenant_id', '=', param('tenantId')).orderBy('name').orderBy('id').compile()),
    rename: prepareQuery(handle, db.updateTable('groups').set({ name: param('name'), updated_at: param('at'), version: sql`version + 1` })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    delete: prepareQuery(handle, db.deleteFrom('groups').where('tenant_id', '=', param('tenantId')).where('id', '=', param('id')).compile()),
    touchUser: prepareQuery(handle, db.updateTable('users').set({ version: sql`version + 1` })
      .where('tenant_id', '=', param('tenantId')).where('id', '=', param('userId')).compile()),
    addMember: prepareQuery(handle, db.insertInto('group_memberships').values({
      tenant_id: param('tenantId'), group_id: param('groupId'), user_id: param('userId'), created_at: param('at'),
    }).onConflict((oc) => oc.doNothing()).compile()),
    removeMember: prepareQuery(handle, db.deleteFrom('group_memberships').where('tenant_id', '=', param('tenantId'))
      .where('group_id', '=', param('groupId')).where('user_id', '=', param('userId')).compile()),
    // Ids travel as one JSON argument, so pages of any size share this statement.
    forUsers: prepareQuery<{ user_id: string; group_id: string; name: string }>(handle, db.selectFrom('group_memberships')
      .innerJoin('groups', 'groups.id', 'group_memberships.group_id')
      .select(['group_memberships.user_id', 'groups.id as group_id', 'groups.name'])
      .where('group_memberships.tenant_id', '=', param('tenantId'))
      .where(sql<boolean>`group_memberships.user_id in (select value from json_each(${param('userIds')}))`)
      .orderBy('groups.name').compile()),
  }

  return {
    async insert(tenantId, group) {
      try {
        q.insert.run({ ...group, tenantId })
      } catch (error) {
        translateGroupError(error)
      }
      return { ...group, tenantId, updatedAt: null, version: 1 }
    },
    async findById(tenantId, id) {
      const row = q.findById.get({ tenantId, id })
      return row ? toGroup(row) : null
    },
    async list(tenantId) {
      return q.list.all({ tenantId }).map(toGroup)
    },
    async rename(tenantId, id, name, at) {
      try {
        if (q.rename.run({ tenantId, id, name, at }).changes === 0) return null
      } catch (error) {
        translateGroupError(error)
      }
      const row = q.findById.get({ tenantId, id })
      return row ? toGroup(row) : null
    },
    async delete(tenantId, id) {
      return q.delete.run({ tenantId, id }).changes > 0
    },
    async addMember(tenantId, groupId, userId, at) {
      // A user's groups are part of what its GET shows, so its version moves with them.
      if (q.addMember.run({ tenantId, groupId, userId, at }).changes > 0) q.touchUser.run({ tenantId, userId })
    },
    async removeMember(tenantId, groupId, userId) {
      if (q.removeMember.run({ tenantId, groupId, userId }).changes === 0) return false
      q.touchUser.run({ tenantId, userId })
      return true
    },
    async forUsers(tenantId, userIds) {
      const held = new Map<UserId, GroupMembership[]>()
      if (userIds.length === 0) return held
      for (const row of q.forUsers.all({ tenantId, userIds: JSON.stringify(userIds) })) {
        const userId = row.user_id as UserId
        const groups = held.get(userId) ?? []
        groups.push({ groupId: row.group_id as GroupId, name: row.name })
        held.set(userId, groups)
      }
      return held
    },
  }
}

/** A taken group name becomes ConflictError naming `name`; anything else goes to the shared translation. */
function translateGroupError(error: unknown): never {
  const e = error as { code?: string; message?: string }
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && e.message?.includes('groups.name')) {
    throw new ConflictError('name', 'A group with this name already exists')
  }
  return translateSqliteError(error)
}

function toGroup(row: GroupsTable): Group {
  return {
    id: row.id as GroupId,
    tenantId: row.tenant_id as TenantId,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version ?? 1,
  }
}
