import type { IncomingMessage } from 'node:http'
import type { Principal } from '../../core/principal.js'
import type { Roster } from '../../open-roster.js'
import { presentedKey } from '../authenticate.js'
import { HttpError } from '../http-error.js'
import { createRouter, type RequestContext, type Route } from '../router.js'
import type { Surface } from '../surface.js'
import { iamAccountRoutes } from './iam-account-routes.js'
import { IAM_BASE } from './iam-document.js'
import { renderIamError } from './iam-errors.js'
import { iamPasswordRoutes } from './iam-password-routes.js'
import { iamRelationshipRoutes } from './iam-relationship-routes.js'
import { iamRoleRoutes } from './iam-role-routes.js'

export type IamAuth = (ctx: RequestContext) => Promise<Principal>

export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json'

/** Media type parameters JSON:API 1.1 allows; any other one on its media type is refused. */
const ALLOWED_PARAMETERS = /^(ext|profile)=/i

function jsonApiTypes(header: string): string[][] {
  return header
    .split(',')
    .map((part) => part.split(';').map((piece) => piece.trim()))
    .filter(([type]) => type?.toLowerCase() === JSON_API_MEDIA_TYPE)
    .map(([, ...parameters]) => parameters.filter((p) => !/^q=/i.test(p)))
}

/**
 * JSON:API 1.1 content negotiation: a body typed application/vnd.api+json with foreign media type
 * parameters gets 415; an Accept naming that type only with such parameters gets 406. Plain
 * application/json is welcome either way.
 */
function negotiate(req: IncomingMessage): void {
  const sent = jsonApiTypes(req.headers['content-type'] ?? '')
  if (sent.some((parameters) => parameters.some((p) => !ALLOWED_PARAMETERS.test(p)))) {
    throw new HttpError(415, `${JSON_API_MEDIA_TYPE} takes no media type parameters but ext and profile`)
  }
  const accepted = jsonApiTypes(req.headers.accept ?? '')
  if (accepted.length > 0 && accepted.every((parameters) => parameters.some((p) => !ALLOWED_PARAMETERS.test(p)))) {
    const other = (req.headers.accept ?? '').split(',').some((part) => !part.trim().toLowerCase().startsWith(JSON_API_MEDIA_TYPE))
    if (!other) throw new HttpError(406, `Accept must allow ${JSON_API_MEDIA_TYPE} without media type parameters`)
  }
}

/** `/api/v3/iam/…`: seed 002's accounts plus roles and role relationships, as JSON:API 1.1 documents. */
export function createIamSurface(roster: Roster): Surface {
  const auth: IamAuth = (ctx) => roster.authenticate(presentedKey(ctx.req))
  const routes: Route[] = [
    // Literal segments before `:id`, so `me` is never read as an id.
    ...iamAccountRoutes(roster, auth),
    ...iamPasswordRoutes(roster, auth),
    ...iamRelationshipRoutes(roster, auth),
    ...iamRoleRoutes(roster, auth),
  ].map((route) => ({ ...route, handler: (ctx) => (negotiate(ctx.req), route.handler(ctx)) }))
  return {
    owns: (pathname) => pathname === IAM_BASE || pathname.startsWith(`${IAM_BASE}/`),
    router: createRouter(routes),
    renderError: renderIamError,
    contentType: JSON_API_MEDIA_TYPE,
  }
}
