import type { Roster } from '../../open-roster.js'
import { HttpError } from '../http-error.js'
import { readJsonBody } from '../read-json-body.js'
import type { Route } from '../router.js'
import { readQuery } from '../wire-fields.js'
import { verification } from './admin-credential-envelope.js'
import { ok } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'

/**
 * `POST /v1/verify {key, units?}` for a host's gateway, with an admin key holding `record_usage`.
 * A refused key is still a successful call: 200 with `{valid: false, reason}`.
 */
export function adminVerifyRoutes(roster: Roster, auth: AdminAuth): Route[] {
  return [
    {
      method: 'POST', path: '/v1/verify',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readQuery(ctx.url, {}, {})
        const { key, ...options } = verifyBody(await readJsonBody(ctx))
        return ok(verification(await roster.credentials.verifyAs(principal, key, options)))
      },
    },
  ]
}

// The key itself is checked by the core, after the permission, so a key without record_usage always hears 403.
function verifyBody(body: unknown): { key?: unknown } & Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'Request body must be a JSON object')
  return body as Record<string, unknown>
}
