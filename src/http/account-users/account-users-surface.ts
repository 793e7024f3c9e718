import { requireAccount, type ResourceIds } from '../../core/account-users/account-scope.js'
import type { Permission } from '../../core/permissions.js'
import type { AdminPrincipal } from '../../core/principal.js'
import type { Roster } from '../../open-roster.js'
import { authenticateRequest } from '../authenticate.js'
import { createRouter, type RequestContext } from '../router.js'
import type { Surface } from '../surface.js'
import { accountGroupRoutes } from './account-groups-routes.js'
import { accountMfaRoutes } from './account-mfa-routes.js'
import { renderAccountUsersError } from './account-users-errors.js'
import { accountUsersDoc } from './account-users-openapi.js'
import { accountUserRoutes } from './account-users-routes.js'

/**
 * Authenticates the request (401) and checks it may act on `:accountId` with `permission` before
 * the body or query is read: ids 404, then account and permission 403 (see requireAccount).
 */
export type AccountScope = (ctx: RequestContext, permission: Permission, ids?: ResourceIds) => Promise<AdminPrincipal>

/** `/accounts/{accountId}/…`: seed 003's account users, plus roster's groups and MFA enrolment, in the `{errors}` envelope. */
export function createAccountUsersSurface(roster: Roster): Surface {
  const scope: AccountScope = async (ctx, permission, ids) =>
    requireAccount(await authenticateRequest(roster, ctx, 'account-users'), ctx.params['accountId'] ?? '', permission, ids)
  const routes = [...accountUserRoutes(roster, scope), ...accountMfaRoutes(roster, scope), ...accountGroupRoutes(roster, scope)]
  return {
    owns: (pathname) => pathname === '/accounts' || pathname.startsWith('/accounts/'),
    router: createRouter(routes),
    routes,
    doc: accountUsersDoc,
    renderError: renderAccountUsersError,
    contentType: 'application/json; charset=utf-8',
  }
}
