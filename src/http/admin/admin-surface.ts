import type { Principal } from '../../core/principal.js'
import type { Roster } from '../../open-roster.js'
import { authenticateRequest } from '../authenticate.js'
import { createRouter, type RequestContext } from '../router.js'
import type { Surface } from '../surface.js'
import { adminAuditRoutes, AUDIT_RENAMES } from './admin-audit-routes.js'
import { adminCredentialRoutes, CREDENTIAL_RENAMES } from './admin-credential-routes.js'
import { adminKeyRoutes, KEY_RENAMES } from './admin-key-routes.js'
import { renderAdminError } from './admin-errors.js'
import { adminDoc } from './admin-openapi.js'
import { adminUsageRoutes } from './admin-usage-routes.js'
import { adminUserRoutes, USER_RENAMES } from './admin-user-routes.js'
import { adminVerifyRoutes } from './admin-verify-routes.js'

export type AdminAuth = (ctx: RequestContext) => Promise<Principal>

const RENAMES = { ...USER_RENAMES, ...KEY_RENAMES, ...CREDENTIAL_RENAMES, ...AUDIT_RENAMES }

/** `/v1/admin/…` and `/v1/verify`: seed 000/001's user accounts, credentials and usage, and SPEC.md's keys, the audit log, in the `{success, …}` envelope. */
export function createAdminSurface(roster: Roster): Surface {
  const auth: AdminAuth = (ctx) => authenticateRequest(roster, ctx, 'admin')
  // Usage routes come before user routes: they hold the literal `/v1/admin/users/usage/summary`.
  const routes = [
    ...adminKeyRoutes(roster, auth), ...adminUsageRoutes(roster, auth), ...adminCredentialRoutes(roster, auth),
    ...adminVerifyRoutes(roster, auth), ...adminUserRoutes(roster, auth), ...adminAuditRoutes(roster, auth),
  ]
  return {
    owns: (pathname) => pathname === '/v1/admin' || pathname.startsWith('/v1/admin/') || pathname === '/v1/verify',
    router: createRouter(routes),
    routes,
    doc: adminDoc,
    renderError: (error) => renderAdminError(error, RENAMES),
    contentType: 'application/json; charset=utf-8',
  }
}
