import type { Roster } from '../../open-roster.js'
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

/** SPEC.md's `/v1/admin/keys`: the bootstrap key creates tenants here, admin keys create more keys. */
export function adminKeyRoutes(roster: Roster, auth: AdminAuth): Route[] {
  return [
    {
      method: 'POST', path: '/v1/admin/keys',
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readQuery(ctx.url, {}, KEY_RENAMES)
        const input = fromWire((await readJsonBody(ctx)) ?? {}, KEY_RENAMES) as never
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
