import type { Roster } from '../../open-roster.js'
import { readJsonBody } from '../read-json-body.js'
import type { RequestContext, Route } from '../router.js'
import { fromWire, readQuery, type Renames } from '../wire-fields.js'
import { adminCredential, issuedCredential } from './admin-credential-envelope.js'
import { ok, okSecret } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'

export const CREDENTIAL_RENAMES: Renames = { expires_at: 'expiresAt' }

/** A user's API credentials (seed 000: "can have multiple API credentials"); `manage_credentials`. */
export function adminCredentialRoutes(roster: Roster, auth: AdminAuth): Route[] {
  // None of these routes takes query parameters; one sent is unknown and named in a 400 (SPEC.md).
  const noQuery = (ctx: RequestContext) => readQuery(ctx.url, {}, CREDENTIAL_RENAMES)
  return [
    {
      method: 'POST', path: '/v1/admin/users/:id/credentials',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        noQuery(ctx)
        const input = fromWire((await readJsonBody(ctx)) ?? {}, CREDENTIAL_RENAMES) as never
        const credential = await roster.credentials.create(principal, ctx.params['id'] ?? '', input)
        return okSecret(issuedCredential(credential), 'Credential created successfully', 201)
      },
    },
    {
      method: 'GET', path: '/v1/admin/users/:id/credentials',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        noQuery(ctx)
        return ok((await roster.credentials.list(principal, ctx.params['id'] ?? '')).map(adminCredential))
      },
    },
    {
      method: 'DELETE', path: '/v1/admin/credentials/:credentialId',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        noQuery(ctx)
        return ok(adminCredential(await roster.credentials.revoke(principal, ctx.params['credentialId'] ?? '')), 'Credential revoked successfully')
      },
    },
  ]
}
