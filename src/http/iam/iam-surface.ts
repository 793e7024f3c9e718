import type { IncomingMessage } from 'node:http'
import type { Principal } from '../../core/principal.js'
import type { Roster } from '../../open-roster.js'
import { authenticateRequest } from '../authenticate.js'
import { HttpError } from '../http-error.js'
import { createRouter, type RequestContext, type Route } from '../router.js'
import type { Surface } from '../surface.js'
import { iamAccountRoutes } from './iam-account-routes.js'
import { IAM_BASE } from './iam-document.js'
import { renderIamError } from './iam-errors.js'
import { iamDoc } from './iam-openapi.js'
import { iamPasswordRoutes } from './iam-password-routes.js'
import { iamRelationshipRoutes } from './iam-relationship-routes.js'
import { iamRoleRoutes } from './iam-role-routes.js'

export type IamAuth = (ctx: RequestContext) => Promise<Principal>

export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json'

/** The parameters of each JSON:API media type instance in a Content-Type or Accept header (q dropped). */
function jsonApiInstances(header: string): string[][] {
  return header
    .split(',')
    .map((part) => part.split(';').map((piece) => piece.trim()))
    .filter(([type]) => type?.toLowerCase() === JSON_API_MEDIA_TYPE)
    .map(([, ...parameters]) => parameters.filter((p) => p !== '' && !/^q=/i.test(p)))
}

/**
 * Why roster cannot serve an instance modified by `parameters`, or null when it can. JSON:API 1.1
 * allows only `ext` and `profile`; profiles may be ignored, but roster implements no extension,
 * so any `ext` naming one is unsupported.
 */
function unsupported(parameters: readonly string[]): string | null {
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=', 2).map((piece) => piece.trim())
    if (/^profile$/i.test(name)) continue
    if (/^ext$/i.test(name)) {
      if (value.replace(/^"|"$/g, '').trim() !== '') return `roster supports no JSON:API extensions (ext=${value})`
      continue
    }
    return `${JSON_API_MEDIA_TYPE} takes no media type parameters but ext and profile`
  }
  return null
}

/**
 * JSON:API 1.1 content negotiation: a body typed application/vnd.api+json with a foreign parameter
 * or an unsupported extension gets 415; an Accept whose every JSON:API instance is so modified gets
 * 406. Plain application/json is welcome either way.
 */
function negotiate(req: IncomingMessage): void {
  for (const parameters of jsonApiInstances(req.headers['content-type'] ?? '')) {
    const reason = unsupported(parameters)
    if (reason) throw new HttpError(415, reason)
  }
  const accepted = jsonApiInstances(req.headers.accept ?? '')
  const reasons = accepted.map(unsupported)
  if (accepted.length > 0 && reasons.every((reason) => reason !== null)) {
    throw new HttpError(406, `Accept must allow ${JSON_API_MEDIA_TYPE} without unsupported parameters: ${reasons[0]}`)
  }
}

/** `/api/v3/iam/…`: seed 002's accounts plus roles and role relationships, as JSON:API 1.1 documents. */
export function createIamSurface(roster: Roster): Surface {
  const auth: IamAuth = (ctx) => authenticateRequest(roster, ctx, 'iam')
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
    routes,
    doc: iamDoc,
    renderError: renderIamError,
    contentType: JSON_API_MEDIA_TYPE,
    // Answers depend on Accept (406), so a shared cache must key on it.
    headers: { vary: 'Accept' },
  }
}
