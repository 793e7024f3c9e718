import type { Roster } from '../../open-roster.js'
import type { Route } from '../router.js'
import { readQuery } from '../wire-fields.js'
import { ok } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'
import { usagePagination, usageSummary, userUsage } from './admin-usage-envelope.js'

export const PERIOD = { from: 'string', to: 'string' } as const
export const SUMMARY = { ...PERIOD, limit: 'integer', offset: 'integer' } as const

/** Seed 000's usage endpoints (`manage_users`); must be routed before `/v1/admin/users/:id` so "usage" is never an id. */
export function adminUsageRoutes(roster: Roster, auth: AdminAuth): Route[] {
  return [
    {
      method: 'GET', path: '/v1/admin/users/usage/summary',
      handler: async (ctx) => {
        const summary = await roster.usage.summary(await auth(ctx), readQuery(ctx.url, SUMMARY, {}))
        return ok(usageSummary(summary), undefined, 200, { pagination: usagePagination(summary) })
      },
    },
    {
      method: 'GET', path: '/v1/admin/users/:id/usage',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        return ok(userUsage(await roster.usage.forUser(principal, ctx.params['id'] ?? '', readQuery(ctx.url, PERIOD, {}))))
      },
    },
  ]
}
