import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError } from './http-error.js'

export interface RequestContext {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly url: URL
  readonly params: Readonly<Record<string, string>>
  /** The id this request is answered and logged under (`X-Request-Id`); the audit log records it too. */
  readonly requestId: string
  /** What the request log records of this request, filled in as the request is handled. */
  readonly facts: RequestFacts
  /** How long the body may take to arrive once reading starts, in ms. */
  readonly bodyTimeoutMs: number
}

/** The request log's view of a request: the route template matched and the tenant it acted for. */
export interface RequestFacts {
  route: string | null
  tenantId: string | null
}

/** What a route answers; `body` undefined sends no body. */
export interface Reply {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Record<string, string> | undefined
}

export type RouteHandler = (ctx: RequestContext) => Promise<Reply>

export interface Route {
  readonly method: string
  /** A path like `/v1/admin/users/:id`; segments starting with `:` capture one decoded segment. */
  readonly path: string
  readonly handler: RouteHandler
}

interface CompiledRoute extends Route {
  readonly pattern: RegExp
  readonly names: readonly string[]
}

export interface RouteMatch {
  /** The matched route's path template, e.g. `/v1/admin/users/:id`. */
  readonly path: string
  readonly handler: RouteHandler
  readonly params: Record<string, string>
}

/** Matches method and path against routes in the order given, so literal paths listed first win over `:id`. */
export function createRouter(routes: readonly Route[]) {
  const compiled: CompiledRoute[] = routes.map((route) => {
    const names: string[] = []
    const source = route.path
      .split('/')
      .map((segment) => (segment.startsWith(':') ? (names.push(segment.slice(1)), '([^/]+)') : escape(segment)))
      .join('/')
    return { ...route, pattern: new RegExp(`^${source}/?$`), names }
  })

  return {
    /** The route for this request; HttpError 404 for an unknown path, 405 with `Allow` for a known path and wrong method. */
    match(method: string, pathname: string): RouteMatch {
      const allowed: string[] = []
      for (const route of compiled) {
        const found = route.pattern.exec(pathname)
        if (!found) continue
        if (route.method !== method) {
          allowed.push(route.method)
          continue
        }
        const params: Record<string, string> = {}
        route.names.forEach((name, i) => (params[name] = decode(found[i + 1] ?? '')))
        return { path: route.path, handler: route.handler, params }
      }
      if (allowed.length > 0) throw new HttpError(405, `Method ${method} not allowed`, undefined, { allow: allowed.join(', ') })
      throw new HttpError(404, 'Not found')
    },
  }
}

function escape(segment: string): string {
  return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new HttpError(404, 'Not found')
  }
}
