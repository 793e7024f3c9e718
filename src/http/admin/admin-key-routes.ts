import type { Roster } from '../../open-roster.js'
import { HttpError } from '../http-error.js'
import { readJsonBody } from '../read-json-body.js'
import type { Route } from '../router.js'
import { fromWire, readQuery, type Renames } from '../wire-fields.js'
import { adminKey, adminUser, issuedAdminKey, ok, okSecret } from './admin-envelope.js'
import type { AdminAuth } from './admin-surface.js'

export const KEY_RENAMES: Renames = {
  entity_name: 'entityName',
  'owner.email_address': 'owner.email',
  'owner.first_name': 'owner.firstName',
  'owner.last_name': 'owner.lastName',
}

/**
 * The recovery body in the core's names. `tenant_id` is renamed here, not in KEY_RENAMES, which the
 * whole admin surface shares for its error messages (a `tenantId` sent to `/v1/verify` is named as sent).
 */
function recoveryInput(body: Record<string, unknown>): never {
  const { tenant_id: tenantId, ...rest } = body
  if (typeof tenantId !== 'string') throw new HttpError(400, 'tenant_id must be a string', 'tenant_id')
  if (Object.hasOwn(rest, 'tenantId')) throw new HttpError(400, 'Unknown field: tenantId', 'tenantId')
  return { ...(fromWire(rest, KEY_RENAMES) as object), tenantId } as never
}

/**
 * SPEC.md's `/v1/admin/keys`: the bootstrap key creates tenants here (or, with `tenant_id`, a recovery
 * key for an existing tenant), admin keys create more keys.
 */
export function adminKeyRoutes(roster: Roster, auth: AdminAuth): Route[] {
  return [
    {
      method: 'POST', path: '/v1/admin/keys',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readQuery(ctx.url, {}, KEY_RENAMES)
        const body: unknown = (await readJsonBody(ctx)) ?? {}
        // The recovery path: the bootstrap key naming an existing tenant gets it a new key.
        if (principal.kind === 'bootstrap' && typeof body === 'object' && body !== null && Object.hasOwn(body, 'tenant_id')) {
          return ok(issuedAdminKey(await roster.keys.recover(principal, recoveryInput(body as Record<string, unknown>))), 'Admin key created successfully', 201)
        }
        const input = fromWire(body, KEY_RENAMES) as never
        if (principal.kind === 'bootstrap') {
          const { key, owner } = await roster.tenants.create(principal, input)
          const data = { ...issuedAdminKey(key), ...(owner && { owner: adminUser(owner) }) }
          return okSecret(data, 'Admin key created successfully', 201)
        }
        return okSecret(issuedAdminKey(await roster.keys.create(principal, input)), 'Admin key created successfully', 201)
      },
    },
    {
      method: 'GET', path: '/v1/admin/keys',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readQuery(ctx.url, {}, KEY_RENAMES)
        return ok((await roster.keys.list(principal)).map(adminKey))
      },
    },
    {
      method: 'DELETE', path: '/v1/admin/keys/:id',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readQuery(ctx.url, {}, KEY_RENAMES)
        return ok(adminKey(await roster.keys.revoke(principal, ctx.params['id'] ?? '')), 'Admin key revoked successfully')
      },
    },
  ]
}
