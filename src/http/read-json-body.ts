import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-error.js'

export const MAX_BODY_BYTES = 1024 * 1024
/**
 * Deepest nesting of arrays and objects a body may have, checked before parsing so that no later
 * String() or JSON.stringify() recurses through an attacker's 100,000 levels. Fields set tighter
 * limits of their own (metadata: 32) and name themselves when exceeded.
 */
export const MAX_JSON_DEPTH = 128
// application/json, and structured-syntax types such as application/vnd.api+json.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

const bodies = new WeakMap<IncomingMessage, unknown>()

/** The JSON body `readJsonBody` parsed from `req`, or undefined; error renderers check their pointers against it. */
export function parsedBody(req: IncomingMessage): unknown {
  return bodies.get(req)
}

/** What `readJsonBody` needs of a request: the message and how long its body may take. */
export interface BodySource {
  readonly req: IncomingMessage
  readonly bodyTimeoutMs: number
}

/**
 * Reads the request body as JSON: undefined when there is none; HttpError 415 for a non-JSON
 * content type, 413 past 1 MiB, 408 when the body does not arrive within `bodyTimeoutMs`, 400 for
 * malformed JSON or JSON nested deeper than MAX_JSON_DEPTH. On an early failure the rest of the
 * body is left unread: the handler answers, then discards it.
 */
export async function readJsonBody(source: BodySource): Promise<unknown> {
  const { req } = source
  const bytes = await readRawBody(source)
  if (bytes.length === 0) return undefined
  const type = req.headers['content-type'] ?? ''
  if (!JSON_TYPE.test(type)) {
    throw new HttpError(415, `Unsupported Content-Type "${type || '(none)'}": send application/json`)
  }
  if (nestingDepth(bytes) > MAX_JSON_DEPTH) throw new HttpError(400, `JSON body nests deeper than ${MAX_JSON_DEPTH} levels`)
  let body: unknown
  try {
    body = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new HttpError(400, 'Malformed JSON body')
  }
  bodies.set(req, body)
  return body
}

const rawBodies = new WeakMap<IncomingMessage, Buffer>()

/**
 * The request body's bytes, read once: a later call (readJsonBody after an Idempotency-Key check)
 * gets the same bytes. HttpError 413 past 1 MiB, 408 when the body does not arrive in time.
 */
export async function readRawBody({ req, bodyTimeoutMs }: BodySource): Promise<Buffer> {
  const cached = rawBodies.get(req)
  if (cached) return cached
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw tooLarge()
  const bytes = await collect(req, bodyTimeoutMs)
  rawBodies.set(req, bytes)
  return bytes
}

// Listeners rather than `for await`: leaving an async iterator early destroys the socket, and the
// client would see a reset instead of the 413.
function collect(req: IncomingMessage, timeoutMs: number): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (error: HttpError | null) => {
      clearTimeout(timer)
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted)
      if (error) {
        req.pause()
        reject(error)
      } else resolve(Buffer.concat(chunks, size))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) return finish(tooLarge())
      chunks.push(chunk)
    }
    const onEnd = () => finish(null)
    const onError = () => finish(new HttpError(400, 'The request body could not be read'))
    const onAborted = () => finish(new HttpError(400, 'The request body ended early'))
    const timer = setTimeout(() => {
      finish(new HttpError(408, `The request body did not arrive within ${timeoutMs / 1000} s`, undefined, { connection: 'close' }))
    }, timeoutMs)
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted)
  })
}

/** Deepest `[`/`{` nesting outside strings, found without parsing (JSON.stringify and String() recurse). */
function nestingDepth(bytes: Buffer): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (inString) {
      if (byte === 0x5c) i++ // a backslash escapes the next byte
      else if (byte === 0x22) inString = false
    } else if (byte === 0x22) inString = true
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > deepest) deepest = depth
      if (deepest > MAX_JSON_DEPTH) return deepest
    } else if (byte === 0x5d || byte === 0x7d) depth--
  }
  return deepest
}

function tooLarge(): HttpError {
  return new HttpError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`, undefined, { connection: 'close' })
}
