import type { Roster } from '../../open-roster.js'
import { readJsonBody } from '../read-json-body.js'
import type { Route } from '../router.js'
import { fromWire, readQuery, type Renames } from '../wire-fields.js'
import { adminUser, ok, pagination } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'

export const USER_RENAMES: Renames = {
  external_id: 'externalId',
  billing_plan: 'billingPlan',
  first_name: 'firstName',
  last_name: 'lastName',
}

const LIST_QUERY = {
  status: 'string', billing_plan: 'string', external_id: 'string', email: 'string', q: 'string',
  limit: 'integer', offset: 'integer', cursor: 'string',
} as const

/** Seed 000's user-account endpoints; literal paths come before `:id` so they are never read as ids. */
export function adminUserRoutes(roster: Roster, auth: AdminAuth): Route[] {
  const body = async (ctx: Parameters<Route['handler']>[0]) => fromWire((await readJsonBody(ctx.req)) ?? {}, USER_RENAMES) as never

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
      handler: async (ctx) => ok(adminUser(await roster.users.getByExternalId(await auth(ctx), ctx.params.externalId ?? ''))),
    },
    {
      method: 'GET', path: '/v1/admin/users/:id',
      handler: async (ctx) => ok(adminUser(await roster.users.get(await auth(ctx), ctx.params.id ?? ''))),
    },
    {
      method: 'PATCH', path: '/v1/admin/users/:id',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const user = await roster.users.update(principal, ctx.params.id ?? '', await body(ctx))
        return ok(adminUser(user), 'User account updated successfully')
      },
    },
    {
      method: 'POST', path: '/v1/admin/users/:id/suspend',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const user = await roster.users.suspend(principal, ctx.params.id ?? '', await body(ctx))
        return ok(adminUser(user), 'User account suspended successfully')
      },
    },
    {
      method: 'POST', path: '/v1/admin/users/:id/reactivate',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        await readJsonBody(ctx.req)
        const user = await roster.users.reactivate(principal, ctx.params.id ?? '')
        return ok(adminUser(user), 'User account reactivated successfully')
      },
    },
  ]
}
