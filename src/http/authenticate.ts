import type { IncomingMessage } from 'node:http'

/** The key a request presents: `Authorization: Bearer KEY`, else `X-API-Key: KEY`; null when neither is given. */
export function presentedKey(req: IncomingMessage): string | null {
  const authorization = req.headers.authorization
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    if (match?.[1]) return match[1]
  }
  const apiKey = req.headers['x-api-key']
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey
  return value?.trim() || null
}
