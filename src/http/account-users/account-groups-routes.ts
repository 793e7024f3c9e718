import { etagOf, ifMatchOf, withETag } from '../conditional.js'
import type { Roster } from '../../open-roster.js'
import type { RequestContext, Route } from '../router.js'
import { accountGroup, json, noContent } from './account-users-envelope.js'
import { readBody, readParams } from './account-users-request.js'
import type { AccountScope } from './account-users-surface.js'

/** `/accounts/{accountId}/groups`: the account's groups and their members; all need `manage_groups`. */
export function accountGroupRoutes(roster: Roster, scope: AccountScope): Route[] {
  const scoped = async (ctx: RequestContext) => {
    const admin = await scope(ctx, 'manage_groups', { groupId: ctx.params['groupId'], userId: ctx.params['userId'] })
    readParams(ctx)
    return { admin, groupId: ctx.params['groupId'] ?? '', userId: ctx.params['userId'] ?? '' }
  }

  return [
    {
      method: 'GET', path: '/accounts/:accountId/groups',
      handler: async (ctx) => {
        const { admin } = await scoped(ctx)
        return json({ groups: (await roster.groups.list(admin)).map(accountGroup) })
      },
    },
    {
      method: 'POST', path: '/accounts/:accountId/groups',
      handler: async (ctx) => {
        const { admin } = await scoped(ctx)
        const group = await roster.groups.create(admin, await readBody(ctx, ['name']))
        return json(accountGroup(group), 201, { location: `/accounts/${admin.tenantId}/groups/${group.id}` })
      },
    },
    {
      method: 'GET', path: '/accounts/:accountId/groups/:groupId',
      handler: async (ctx) => {
        const { admin, groupId } = await scoped(ctx)
        const group = await roster.groups.get(admin, groupId)
        return withETag(ctx, group.id, group.version, json(accountGroup(group)))
      },
    },
    {
      method: 'PATCH', path: '/accounts/:accountId/groups/:groupId',
      handler: async (ctx) => {
        const { admin, groupId } = await scoped(ctx)
        const group = await roster.groups.rename(admin, groupId, await readBody(ctx, ['name']), ifMatchOf(ctx))
        return json(accountGroup(group), 200, { etag: etagOf(group.id, group.version) })
      },
    },
    {
      method: 'DELETE', path: '/accounts/:accountId/groups/:groupId',
      handler: async (ctx) => {
        const { admin, groupId } = await scoped(ctx)
        await roster.groups.delete(admin, groupId, ifMatchOf(ctx))
        return noContent()
      },
    },
    {
      method: 'PUT', path: '/accounts/:accountId/groups/:groupId/users/:userId',
      handler: async (ctx) => {
        const { admin, groupId, userId } = await scoped(ctx)
        await readBody(ctx, [])
        await roster.groups.addMember(admin, groupId, userId)
        return noContent()
      },
    },
    {
      method: 'DELETE', path: '/accounts/:accountId/groups/:groupId/users/:userId',
      handler: async (ctx) => {
        const { admin, groupId, userId } = await scoped(ctx)
        await roster.groups.removeMember(admin, groupId, userId)
        return noContent()
      },
    },
  ]
}
