import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendReply } from '../send-reply.js'
import type { ConsoleAssets } from './console-assets.js'

export const CONSOLE_PATH = '/console'
/** The route the request log names for every console request. */
export const CONSOLE_ROUTE = '/console/:file'

// The console is plain files: scripts and styles only from its own origin, no inline code (so an injected
// string can never run), no plugins, no framing, no <base> rewriting, and no form posting anywhere.
// Trusted Types with no policy: DOM sinks that parse HTML (innerHTML, …) throw, so the console cannot use them.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ')

/** Headers on every console answer, files and errors alike. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}
const JSON_TYPE = 'application/json; charset=utf-8'

/** True for `/console` and everything under `/console/`. */
export function ownsConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`)
}

/**
 * Answers a request under `/console` from the files read at start: `/console/` is index.html, any
 * other name must be one of the built files exactly (no decoding, no sub-folders), else 404.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse, assets: ConsoleAssets, pathname: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const reply = { status: 405, headers: { allow: 'GET, HEAD' }, body: { error: `Method ${req.method} not allowed` } }
    return sendReply(req, res, reply, JSON_TYPE, CONSOLE_HEADERS)
  }
  // index.html loads its files by relative names, which resolve under /console/ only with the slash.
  if (pathname === CONSOLE_PATH) return sendReply(req, res, { status: 308, headers: { location: `${CONSOLE_PATH}/` } }, JSON_TYPE, CONSOLE_HEADERS)
  const name = pathname === `${CONSOLE_PATH}/` ? 'index.html' : pathname.slice(CONSOLE_PATH.length + 1)
  const asset = assets.get(name)
  if (!asset) return sendReply(req, res, { status: 404, body: { error: 'Not found' } }, JSON_TYPE, CONSOLE_HEADERS)
  const headers = { ...CONSOLE_HEADERS, 'cache-control': asset.cacheControl, etag: asset.etag }
  if (req.headers['if-none-match'] === asset.etag) return void res.writeHead(304, headers).end()
  res.writeHead(200, { ...headers, 'content-type': asset.contentType, 'content-length': String(asset.body.length) })
  res.end(req.method === 'HEAD' ? undefined : asset.body)
}
