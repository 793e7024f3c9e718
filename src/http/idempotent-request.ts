import type { IncomingMessage } from 'node:http'
import type { StoredResponse } from '../core/idempotency/idempotency-service.js'
import type { Principal } from '../core/principal.js'
import type { Roster } from '../open-roster.js'
import { presentedKey } from './authenticate.js'
import { HeaderError } from './http-error.js'
import { readRawBody } from './read-json-body.js'
import type { Reply, RequestContext } from './router.js'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255
// Visible ASCII but the quote and backslash, so a key reads the same bare or as a structured-field string.
const KEY_SYNTAX = /^[\x21\x23-\x5b\x5d-\x7e]+$/
/** Headers a replay must repeat; the rest (connection handling, surface headers) are the replaying answer's own. */
const KEPT_HEADERS = ['location', 'content-location', 'content-type', 'cache-control', 'etag', 'retry-after']

/** True when `req` is a POST sending Idempotency-Key: only then is the store consulted. */
export function wantsIdempotency(req: IncomingMessage): boolean {
  return req.method === 'POST' && req.headers['idempotency-key'] !== undefined
}

/**
 * The request's Idempotency-Key: the IETF draft sends it as a structured-field string (`"…"`), Stripe
 * bare; both are read. HeaderError 400 when given twice, empty, longer than 255 characters or not
 * visible ASCII.
 */
export function idempotencyKeyOf(req: IncomingMessage): string {
  const values = req.headersDistinct['idempotency-key'] ?? []
  const invalid = (message: string) => new HeaderError(400, IDEMPOTENCY_HEADER, 'invalid_header', `${IDEMPOTENCY_HEADER} header ${message}`)
  if (values.length > 1) throw invalid('given more than once')
  const raw = (values[0] ?? '').trim()
  const key = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw
  if (key.length === 0) throw invalid('must not be empty')
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw invalid(`must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`)
  if (!KEY_SYNTAX.test(key)) throw invalid('must be visible ASCII characters without spaces, quotes or backslashes (optionally in double quotes)')
  return key
}

/**
 * Whether an answer is kept for retries: not when the request failed authentication, timed out, was
 * rate-limited or met a fault, since a retry may then rightly get a different answer.
 */
function kept(status: number): boolean {
  return status !== 401 && status !== 408 && status !== 429 && status < 500
}

/**
 * Runs a POST that carries an Idempotency-Key through `run` at most once per key: a retry of the same
 * request gets the first answer again with `Idempotent-Replayed: true`; a different request with the key
 * gets 422; a retry while the first still runs waits for it, then 409. A request that fails
 * authentication is run as it is (its 401 is never kept).
 */
export async function runIdempotently(roster: Roster, ctx: RequestContext, run: () => Promise<Reply>): Promise<Reply> {
  const { req } = ctx
  const idempotencyKey = idempotencyKeyOf(req)
  let secret: string | null
  let principal: Principal
  try {
    secret = presentedKey(req)
    principal = await roster.authenticate(secret)
  } catch {
    return run()
  }
  if (secret === null) return run()
  ctx.facts.tenantId = principal.kind === 'bootstrap' ? null : principal.tenantId
  const body = await readRawBody(ctx)
  const start = await roster.idempotency.begin(principal, secret, idempotencyKey, { method: 'POST', target: req.url ?? '', body })
  switch (start.kind) {
    case 'replay':
      return replayOf(start.response)
    case 'mismatch':
      throw new HeaderError(422, IDEMPOTENCY_HEADER, 'idempotency_key_reused',
        `${IDEMPOTENCY_HEADER} was already used with a different request: send a new key for a new request`)
    case 'busy':
      throw new HeaderError(409, IDEMPOTENCY_HEADER, 'idempotency_key_in_use',
        `A request with this ${IDEMPOTENCY_HEADER} is still being processed: retry later`, { 'retry-after': '1' })
  }
  let reply: Reply | undefined
  try {
    reply = await run()
  } finally {
    if (reply && kept(reply.status)) await start.finish(storedOf(reply))
    else await start.abandon()
  }
  return reply
}

function storedOf(reply: Reply): StoredResponse {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    if (KEPT_HEADERS.includes(name.toLowerCase())) headers[name.toLowerCase()] = value
  }
  return { status: reply.status, headers, body: reply.body === undefined ? null : JSON.stringify(reply.body) }
}

function replayOf(stored: StoredResponse): Reply {
  return {
    status: stored.status,
    headers: { ...stored.headers, 'idempotent-replayed': 'true' },
    body: stored.body === null ? undefined : JSON.parse(stored.body),
  }
}
