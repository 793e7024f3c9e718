import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Reply } from './router.js'

/** Bytes of an unwanted request body read and thrown away after an early answer, before the connection closes. */
export const MAX_DISCARD_BYTES = 8 * 1024 * 1024
/** How long an unwanted request body is drained after an early answer, in ms. */
export const DISCARD_MS = 5_000

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')

/**
 * Writes `reply` as JSON with `headers` beneath its own. A request whose body was not read (an early
 * 401, 413 or 408) gets `Connection: close`, so an unauthenticated client cannot keep a connection
 * busy; while such a body is still arriving, the answer goes out at once but the connection ends
 * only when the client stops sending (bounded), since closing over unread bytes resets it and the
 * client would see EPIPE instead of the answer.
 */
export function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply, contentType: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded && !res.destroyed) res.end()
    return
  }
  const out: Record<string, string> = { ...headers, ...reply.headers }
  if (reply.status === 401) out['www-authenticate'] ??= 'Bearer'
  const unread = hasBody(req) && !req.readableEnded
  if (unread) out['connection'] = 'close'
  let payload: string | undefined
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body)
    out['content-type'] ??= contentType
    out['content-length'] = String(Buffer.byteLength(payload))
  }
  res.writeHead(reply.status, out)
  // A 408 went to a client too slow to wait for any longer.
  if (!unread || req.complete || reply.status === 408) {
    res.end(payload)
    return
  }
  if (payload !== undefined) res.write(payload)
  discardBody(req, () => res.end())
}

function discardBody(req: IncomingMessage, done: () => void): void {
  let discarded = 0
  let finished = false
  const finish = () => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    req.off('data', onData).off('end', finish).off('error', finish).off('aborted', finish)
    done()
  }
  const onData = (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > MAX_DISCARD_BYTES) finish()
  }
  const timer = setTimeout(finish, DISCARD_MS)
  req.on('data', onData).on('end', finish).on('error', finish).on('aborted', finish)
  req.resume()
}
