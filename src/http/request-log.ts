import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** One finished request as the request log records it: never a key, a secret or a body. */
export interface RequestLogEntry {
  readonly time: string
  readonly requestId: string
  readonly method: string
  /** The route template (`/v1/admin/users/:id`), or null when no route matched. */
  readonly route: string | null
  readonly status: number
  readonly durationMs: number
  /** The tenant the request's key acts for, once authenticated. */
  readonly tenantId: string | null
}

// Visible ASCII a proxy or client might use for a request id, bounded so logs stay sane.
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/** The client's `X-Request-Id` when it is well-formed, else a fresh one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID()
}

/** The entry as one JSON line, snake_case like the APIs. */
export function formatLogLine(entry: RequestLogEntry): string {
  return `${JSON.stringify({
    time: entry.time,
    request_id: entry.requestId,
    method: entry.method,
    route: entry.route,
    status: entry.status,
    duration_ms: entry.durationMs,
    tenant_id: entry.tenantId,
  })}\n`
}
