import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-error.js'

export const MAX_BODY_BYTES = 1024 * 1024
// application/json, and structured-syntax types such as application/vnd.api+json.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/**
 * Reads the request body as JSON: undefined when there is none; HttpError 415 for a non-JSON
 * content type, 413 past 1 MiB (without reading the rest), 400 for malformed JSON.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw tooLarge()
    chunks.push(chunk)
  }
  if (size === 0) return undefined
  const type = req.headers['content-type'] ?? ''
  if (!JSON_TYPE.test(type)) {
    throw new HttpError(415, `Unsupported Content-Type "${type || '(none)'}": send application/json`)
  }
  try {
    return JSON.parse(Buffer.concat(chunks, size).toString('utf8'))
  } catch {
    throw new HttpError(400, 'Malformed JSON body')
  }
}

function tooLarge(): HttpError {
  // The rest of the body is never read, so the connection cannot be reused.
  return new HttpError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`, undefined, { connection: 'close' })
}
