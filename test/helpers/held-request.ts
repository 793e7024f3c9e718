import { once } from 'node:events'
import { Agent, request } from 'node:http'
import { assertDocumented } from './openapi.js'

export interface HeldRequest {
  /** Sends the body and resolves with the response status and parsed JSON body. */
  finish(): Promise<{ status: number; headers: Record<string, unknown>; body: any }>
}

/**
 * Starts a JSON POST over a keep-alive connection and holds its body back. Resolves once the
 * server has received the headers and started handling it (its `100 Continue`), so the request
 * is provably in flight.
 */
export async function holdRequest(url: string, key: string, body: unknown): Promise<HeldRequest> {
  const payload = JSON.stringify(body)
  const agent = new Agent({ keepAlive: true })
  const req = request(url, {
    method: 'POST',
    agent,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      expect: '100-continue',
    },
  })
  const response = new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) => {
    req.once('error', reject)
    req.once('response', (res) => {
      let text = ''
      res.on('data', (chunk) => (text += chunk))
      res.once('end', () => {
        agent.destroy()
        const body = JSON.parse(text)
        try {
          assertDocumented('POST', new URL(url).pathname, res.statusCode ?? 0, res.headers['content-type'] ?? null, body)
        } catch (error) {
          return reject(error)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
  })
  response.catch(() => {})
  req.flushHeaders()
  await Promise.race([once(req, 'continue'), response])
  return {
    finish() {
      req.end(payload)
      return response
    },
  }
}
