import { ifMatchOf, withETag } from '../conditional.js'
import type { Roster } from '../../open-roster.js'
import type { Route } from '../router.js'
import { accountUser, accountUserList, json, noContent } from './account-users-envelope.js'
import { readBody, readParams } from './account-users-request.js'
import type { AccountScope } from './account-users-surface.js'

const USER_FIELDS = ['email_address', 'first_name', 'last_name'] as const
export const LIST_QUERY = { limit: 'integer', offset: 'integer' } as const

/** Seed 003's five endpoints. */
export function accountUserRoutes(roster: Roster, scope: AccountScope): Route[] {
  return [
    {
      method: 'GET', path: '/accounts/:accountId/users',
      handler: async (ctx) => {
        const admin = await scope(ctx, 'manage_users')
        const page = await roster.accountUsers.list(admin, admin.tenantId, readParams(ctx, LIST_QUERY))
        return accountUserList(page, admin.tenantId)
      },
    },
    {
      method: 'POST', path: '/accounts/:accountId/users',
      handler: async (ctx) => {
        const admin = await scope(ctx, 'manage_users')
        readParams(ctx)
        const user = await roster.accountUsers.create(admin, admin.tenantId, await readBody(ctx, USER_FIELDS))
        return json(accountUser(user), 201, { location: `/accounts/${admin.tenantId}/users/${user.id}` })
      },
    },
    {
      method: 'GET', path: '/accounts/:accountId/users/:userId',
      handler: async (ctx) => {
        const admin = await scope(ctx, 'manage_users', { userId: ctx.params['userId'] ?? '' })
        readParams(ctx)
        const user = await roster.accountUsers.get(admin, admin.tenantId, ctx.params['userId'] ?? '')
        return withETag(ctx, user.id, user.version, json(accountUser(user)))
      },
    },
    {
      // Seed 003 documents a 200 without a body shape; roster answers the user as it was, so a client sees what went.
      method: 'DELETE', path: '/accounts/:accountId/users/:userId',
      handler: async (ctx) => {
        const admin = await scope(ctx, 'manage_users', { userId: ctx.params['userId'] ?? '' })
        readParams(ctx)
        return json(accountUser(await roster.accountUsers.delete(admin, admin.tenantId, ctx.params['userId'] ?? '', ifMatchOf(ctx))))
      },
    },
    {
      method: 'POST', path: '/accounts/:accountId/users/:userId/reset-mfa',
      handler: async (ctx) => {
        const admin = await scope(ctx, 'manage_users', { userId: ctx.params['userId'] ?? '' })
        readParams(ctx)
        await readBody(ctx, [])
        await roster.accountUsers.resetMfa(admin, admin.tenantId, ctx.params['userId'] ?? '')
        return noContent()
      },
    },
  ]
}
