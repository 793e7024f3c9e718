import type { Roster } from '../../open-roster.js'
import { etagOf, ifMatchOf, withETag } from '../conditional.js'
import { readJsonBody } from '../read-json-body.js'
import type { RequestContext, Route } from '../router.js'
import { fromWire, readQuery, type Renames } from '../wire-fields.js'
import { adminUser, ok, pagination } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'

export const USER_RENAMES: Renames = {
  external_id: 'externalId',
  billing_plan: 'billingPlan',
  first_name: 'firstName',
  last_name: 'lastName',
}

export const LIST_QUERY = {
  status: 'string', billing_plan: 'string', external_id: 'string', email: 'string', q: 'string',
  limit: 'integer', offset: 'integer', cursor: 'string', count: 'string',
} as const

/** Seed 000's user-account endpoints; literal paths come before `:id` so they are never read as ids. */
export function adminUserRoutes(roster: Roster, auth: AdminAuth): Route[] {
  // Only the list takes query parameters; anywhere else one is unknown and named in a 400 (SPEC.md).
  const noQuery = (ctx: RequestContext) => readQuery(ctx.url, {}, USER_RENAMES)
  const body = async (ctx: RequestContext) => (noQuery(ctx), fromWire((await readJsonBody(ctx)) ?? {}, USER_RENAMES) as never)

  return [
    {
      method: 'GET', path: '/v1/admin/users',
      handler: async (ctx) => {
        const page = await roster.users.list(await auth(ctx), readQuery(ctx.url, LIST_QUERY, USER_RENAMES))
        return ok(page.users.map(adminUser), undefined, 200, { pagination: pagination(page) })
      },
    },
    {
      method: 'POST', path: '/v1/admin/users',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const user = await roster.users.create(principal, await body(ctx))
        return ok(adminUser(user), 'User account created successfully', 201)
      },
    },
    {
      method: 'GET', path: '/v1/admin/users/by-external-id/:externalId',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        noQuery(ctx)
        const user = await roster.users.getByExternalId(principal, ctx.params['externalId'] ?? '')
        return withETag(ctx, user.id, user.version, ok(adminUser(user)))
      },
    },
    {
      method: 'GET', path: '/v1/admin/users/:id',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        noQuery(ctx)
        const user = await roster.users.get(principal, ctx.params['id'] ?? '')
        return withETag(ctx, user.id, user.version, ok(adminUser(user)))
      },
    },
    {
      method: 'PATCH', path: '/v1/admin/users/:id',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const user = await roster.users.update(principal, ctx.params['id'] ?? '', await body(ctx), ifMatchOf(ctx))
        return { ...ok(adminUser(user), 'User account updated successfully'), headers: { etag: etagOf(user.id, user.version) } }
      },
    },
    {
      method: 'POST', path: '/v1/admin/users/:id/suspend',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const user = await roster.users.suspend(principal, ctx.params['id'] ?? '', await body(ctx))
        return ok(adminUser(user), 'User account suspended successfully')
      },
    },
    {
      method: 'POST', path: '/v1/admin/users/:id/reactivate',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const user = await roster.users.reactivate(principal, ctx.params['id'] ?? '', await body(ctx))
        return ok(adminUser(user), 'User account reactivated successfully')
      },
    },
  ]
}
