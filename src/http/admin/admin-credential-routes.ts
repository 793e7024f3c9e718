import type { Roster } from '../../open-roster.js'
import { HttpError } from '../http-error.js'
import { readJsonBody } from '../read-json-body.js'
import type { Route } from '../router.js'
import { fromWire, readQuery, type Renames } from '../wire-fields.js'
import { adminCredential, issuedCredential, usageSummary, userUsage } from './admin-credential-envelope.js'
import { adminUser, ok } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'

export const CREDENTIAL_RENAMES: Renames = { expires_at: 'expiresAt' }
const PERIOD = { from: 'string', to: 'string' } as const
const SUMMARY = { ...PERIOD, limit: 'integer', offset: 'integer' } as const

/** Credentials, verification and usage (seed 000's usage routes). */
export function adminCredentialRoutes(roster: Roster, auth: AdminAuth): Route[] {
  return [
    {
      // Listed before `/v1/admin/users/:id` routes so "usage" is never read as a user id.
      method: 'GET', path: '/v1/admin/users/usage/summary',
      handler: async (ctx) => {
        const summary = await roster.usage.summary(await auth(ctx), readQuery(ctx.url, SUMMARY, {}))
        return ok(usageSummary(summary), undefined, 200, {
          pagination: { total: summary.total, limit: summary.limit, offset: summary.offset, has_more: summary.offset + summary.users.length < summary.total },
        })
      },
    },
    {
      method: 'GET', path: '/v1/admin/users/:id/usage',
      handler: async (ctx) => ok(userUsage(await roster.usage.forUser(await auth(ctx), ctx.params.id ?? '', readQuery(ctx.url, PERIOD, {})))),
    },
    {
      method: 'POST', path: '/v1/admin/users/:id/credentials',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const input = fromWire((await readJsonBody(ctx.req)) ?? {}, CREDENTIAL_RENAMES) as never
        const credential = await roster.credentials.create(principal, ctx.params.id ?? '', input)
        return ok(issuedCredential(credential), 'Credential created successfully', 201)
      },
    },
    {
      method: 'GET', path: '/v1/admin/users/:id/credentials',
      handler: async (ctx) => ok((await roster.credentials.list(await auth(ctx), ctx.params.id ?? '')).map(adminCredential)),
    },
    {
      method: 'DELETE', path: '/v1/admin/credentials/:credentialId',
      handler: async (ctx) => {
        const credential = await roster.credentials.revoke(await auth(ctx), ctx.params.credentialId ?? '')
        return ok(adminCredential(credential), 'Credential revoked successfully')
      },
    },
    {
      method: 'POST', path: '/v1/verify',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const body = (await readJsonBody(ctx.req)) ?? {}
        const { key, ...options } = verifyBody(body)
        const result = await roster.credentials.verifyAs(principal, key, options as never)
        if (!result.valid) return ok({ valid: false, reason: result.reason })
        return ok({ valid: true, user: adminUser(result.user), credential: adminCredential(result.credential) })
      },
    },
  ]
}

function verifyBody(body: unknown): { key: string } & Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'Request body must be a JSON object')
  const { key, ...rest } = body as Record<string, unknown>
  if (typeof key !== 'string' || key.length === 0) throw new HttpError(400, 'key is required and must be a non-empty string', 'key')
  return { key, ...rest }
}
