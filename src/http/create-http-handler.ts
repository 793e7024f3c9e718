import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { RosterError } from '../core/errors.js'
import type { Roster } from '../open-roster.js'
import { createAdminSurface } from './admin/admin-surface.js'
import { createIamSurface } from './iam/iam-surface.js'
import { createAccountUsersSurface } from './account-users/account-users-surface.js'
import { checkHealth, HEALTH_PATH } from './health.js'
import { loadConsoleAssets } from './console/console-assets.js'
import { CONSOLE_ROUTE, ownsConsolePath, serveConsole } from './console/serve-console.js'
import { HttpError } from './http-error.js'
import { buildOpenApiDocument, OPENAPI_PATH } from './openapi/openapi-document.js'
import { openApiResponder } from './openapi/serve-openapi.js'
import { runIdempotently, wantsIdempotency } from './idempotent-request.js'
import { parseRequestTarget, rawPath } from './request-target.js'
import { requestIdOf, type RequestLogEntry } from './request-log.js'
import type { Reply, RequestFacts } from './router.js'
import { sendReply } from './send-reply.js'
import type { Surface } from './surface.js'

export interface HttpHandlerOptions {
  /** Called once with every unexpected error (a bug) before the 500 goes out; defaults to console.error. */
  readonly onUnexpectedError?: ((error: unknown, req: IncomingMessage, requestId: string) => void) | undefined
  /** Called once per finished request (see RequestLogEntry); the CLI writes it as a JSON line. */
  readonly onRequest?: ((entry: RequestLogEntry) => void) | undefined
  /** How long a request body may take to arrive once its headers are in, in ms (408 after). Default 10 s. */
  readonly bodyTimeoutMs?: number | undefined
  /** Serve the admin console (dist/console, read once here) at `/console/`. Off by default: then nothing is served there. */
  readonly console?: boolean | undefined
}

export const DEFAULT_BODY_TIMEOUT_MS = 10_000
const PLAIN_JSON = 'application/json; charset=utf-8'
// Every answer: JSON that a browser must never sniff into something it would render.
const BASE_HEADERS = { 'x-content-type-options': 'nosniff' }

/**
 * A node:http request listener serving roster's HTTP APIs; mount it in any server. Whatever bytes
 * arrive, it answers (a 4xx for what it cannot read, a 500 in the surface's envelope for a bug)
 * and never rejects, so no request can stop the process.
 */
export function createHttpHandler(roster: Roster, options: HttpHandlerOptions = {}): RequestListener {
  const surfaces = surfacesOf(roster)
  // Each surface's headers merged once, not per request.
  const headersOf = new Map(surfaces.map((s) => [s, { ...BASE_HEADERS, ...s.headers }]))
  const answer = (req: IncomingMessage, res: ServerResponse, surface: Surface | undefined, reply: Reply) =>
    sendReply(req, res, reply, surface?.contentType ?? PLAIN_JSON, (surface && headersOf.get(surface)) ?? BASE_HEADERS)
  const onUnexpectedError = options.onUnexpectedError ??
    ((error, _req, requestId) => console.error(`roster: unexpected error in request ${requestId}`, error))
  const { onRequest } = options
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS
  const consoleAssets = options.console ? loadConsoleAssets() : undefined
  const openApi = openApiResponder(surfaces)

  return (req, res) => {
    const started = performance.now()
    const requestId = requestIdOf(req)
    const facts: RequestFacts = { route: null, tenantId: null }
    res.setHeader('x-request-id', requestId)
    if (onRequest) {
      res.once('close', () => onRequest({
        time: new Date().toISOString(), requestId, method: req.method ?? '', route: facts.route,
        status: res.statusCode, durationMs: Math.round((performance.now() - started) * 1000) / 1000, tenantId: facts.tenantId,
      }))
    }
    handle(req, res, requestId, facts).catch((error: unknown) => {
      // Only a fault in answering itself lands here; the request still gets an answer or a closed socket.
      onUnexpectedError(error, req, requestId)
      if (!res.headersSent && !res.destroyed) sendReply(req, res, { status: 500, body: { error: 'Internal server error' } }, PLAIN_JSON, BASE_HEADERS)
      else res.destroy()
    })
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string, facts: RequestFacts): Promise<void> {
    let url: URL
    try {
      url = parseRequestTarget(req.url)
    } catch (error) {
      const surface = surfaces.find((s) => s.owns(rawPath(req.url)))
      return answer(req, res, surface, failure(error as HttpError, surface, req))
    }
    if (url.pathname === HEALTH_PATH) {
      facts.route = HEALTH_PATH
      return sendReply(req, res, await checkHealth(roster, req.method), PLAIN_JSON, BASE_HEADERS)
    }
    if (url.pathname === OPENAPI_PATH) {
      facts.route = OPENAPI_PATH
      return sendReply(req, res, openApi(req.method), PLAIN_JSON, BASE_HEADERS)
    }
    if (consoleAssets && ownsConsolePath(url.pathname)) {
      facts.route = CONSOLE_ROUTE
      return serveConsole(req, res, consoleAssets, url.pathname)
    }
    const surface = surfaces.find((s) => s.owns(url.pathname))
    if (!surface) return answer(req, res, undefined, { status: 404, body: { error: 'Not found' } })
    const failed = (error: unknown): Reply => {
      if (!(error instanceof RosterError || error instanceof HttpError)) onUnexpectedError(error, req, requestId)
      return failure(error, surface, req)
    }
    let reply: Reply
    try {
      const { path, handler, params } = surface.router.match(req.method ?? 'GET', url.pathname)
      facts.route = path
      const ctx = { req, res, url, params, requestId, facts, bodyTimeoutMs }
      // The route's own failure is its answer, and as such kept for retries like any other.
      const run = () => handler(ctx).catch(failed)
      reply = wantsIdempotency(req) ? await runIdempotently(roster, ctx, run) : await run()
    } catch (error) {
      reply = failed(error)
    }
    answer(req, res, surface, reply)
  }
}

function surfacesOf(roster: Roster): Surface[] {
  return [createAdminSurface(roster), createIamSurface(roster), createAccountUsersSurface(roster)]
}

/** The OpenAPI 3.1 document of the three surfaces, as `GET /openapi.json` serves it. */
export function openApiDocument(roster: Roster): Record<string, unknown> {
  return buildOpenApiDocument(surfacesOf(roster))
}

/** The reply for `error` in the surface's envelope (or a plain one outside every surface); a 500 for anything unexpected. */
function failure(error: unknown, surface: Surface | undefined, req: IncomingMessage): Reply {
  const known = error instanceof RosterError || error instanceof HttpError ? error : new HttpError(500, 'Internal server error')
  if (surface) return surface.renderError(known, req)
  // Outside every surface only the adapter's own HttpErrors arise (a malformed target).
  const status = known instanceof HttpError ? known.status : 500
  return { status, headers: known instanceof HttpError ? known.headers : undefined, body: { error: known.message } }
}
