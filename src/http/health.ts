import type { Roster } from '../open-roster.js'
import { HttpError } from './http-error.js'
import type { Reply } from './router.js'

export const HEALTH_PATH = '/healthz'
/** How long the store may take to answer before the check reports it unavailable, in ms. */
export const HEALTH_TIMEOUT_MS = 2_000

/**
 * `GET /healthz`, without a key: 200 `{status: "ok"}` when the store answers a query within
 * HEALTH_TIMEOUT_MS, 503 `{status: "unavailable"}` otherwise, so a load balancer can route around it.
 */
export async function checkHealth(roster: Roster, method: string | undefined): Promise<Reply> {
  if (method !== 'GET' && method !== 'HEAD') {
    const error = new HttpError(405, `Method ${method} not allowed`, undefined, { allow: 'GET, HEAD' })
    return { status: error.status, headers: error.headers, body: { error: error.message } }
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, HEALTH_TIMEOUT_MS, false)))
  const answered = roster.ping().then(() => true, () => false)
  const healthy = await Promise.race([answered, timeout])
  clearTimeout(timer)
  const headers = { 'cache-control': 'no-store' }
  return healthy ? { status: 200, headers, body: { status: 'ok' } } : { status: 503, headers, body: { status: 'unavailable' } }
}
