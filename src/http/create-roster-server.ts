import { createServer, STATUS_CODES, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Roster } from '../open-roster.js'
import { createHttpHandler, DEFAULT_BODY_TIMEOUT_MS, type HttpHandlerOptions } from './create-http-handler.js'
import { MAX_BODY_BYTES } from './read-json-body.js'

export interface RosterServerOptions extends HttpHandlerOptions {
  /** Time to receive a request's headers, in ms. Default 10 s (Node's own is 60 s). */
  readonly headersTimeoutMs?: number | undefined
  /** Time to receive a whole request, body included, in ms. Default 30 s (Node's own is 300 s). */
  readonly requestTimeoutMs?: number | undefined
  /** How long an idle keep-alive connection stays open, in ms. Default 5 s. */
  readonly keepAliveTimeoutMs?: number | undefined
  /** Most connections open at once; further ones are closed as they arrive. Default 1024. */
  readonly maxConnections?: number | undefined
}

export const SERVER_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
} as const

/**
 * A node:http server running roster's handler with limits fit for an open port: timeouts of
 * seconds, a connection cap, a JSON 4xx for bytes Node cannot parse as HTTP, and a 413 without
 * `100 Continue` for a body announced too large. Call `listen` on it.
 */
export function createRosterServer(roster: Roster, options: RosterServerOptions = {}): Server {
  const requestTimeout = options.requestTimeoutMs ?? SERVER_DEFAULTS.requestTimeoutMs
  const handler = createHttpHandler(roster, {
    ...options,
    bodyTimeoutMs: options.bodyTimeoutMs ?? Math.min(DEFAULT_BODY_TIMEOUT_MS, requestTimeout),
  })
  const server = createServer({
    headersTimeout: Math.min(options.headersTimeoutMs ?? SERVER_DEFAULTS.headersTimeoutMs, requestTimeout),
    requestTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? SERVER_DEFAULTS.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (30 s by default).
    connectionsCheckingInterval: 1_000,
  }, handler)
  server.maxConnections = options.maxConnections ?? SERVER_DEFAULTS.maxConnections
  // A client that waits for `100 Continue` before sending a body too large is told 413 instead and sends nothing.
  server.on('checkContinue', (req, res) => {
    if (Number(req.headers['content-length'] ?? 0) <= MAX_BODY_BYTES) res.writeContinue()
    // As a 'request' event, so every listener a host added sees it too.
    server.emit('request', req, res)
  })
  server.on('clientError', answerClientError)
  // CONNECT (authority-form) would otherwise close the socket without a word.
  server.on('connect', (_req, socket: Duplex) => writeRaw(socket, 405, 'CONNECT is not supported'))
  return server
}

const CLIENT_ERRORS: Readonly<Record<string, [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
  HPE_INVALID_METHOD: [400, 'Unknown request method'],
}

/** Bytes Node's parser refused (bad framing, an unknown method, oversized headers, a timeout): a JSON 4xx, then close. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A response already under way cannot be followed by another on the same bytes.
  const current = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage
  if (error.code === 'ECONNRESET' || !socket.writable || current?.headersSent) return void socket.destroy()
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Malformed HTTP request']
  writeRaw(socket, status, message)
}

/** A whole JSON error response written straight to the socket, which then closes. */
function writeRaw(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message })
  socket.end([
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'x-content-type-options: nosniff',
    'connection: close',
    '',
    body,
  ].join('\r\n'))
}
