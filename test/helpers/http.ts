import { assertDocumented } from './openapi.js'

export interface RequestOptions {
  readonly method?: string
  /** Sent as `Authorization: Bearer KEY`. */
  readonly key?: string
  /** JSON-encoded unless `raw` is given. */
  readonly body?: unknown
  /** Sent as it is, for malformed-input tests. */
  readonly raw?: string | Buffer
  readonly headers?: Record<string, string>
}

export interface TestResponse {
  readonly status: number
  readonly headers: Headers
  /** Parsed JSON, or the text when the body is not JSON, or undefined when empty. */
  readonly body: any
}

/** One real HTTP request to a test server. */
export async function request(baseUrl: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`
  let payload: string | Buffer | undefined = options.raw
  if (payload === undefined && options.body !== undefined) {
    payload = JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const response = await fetch(baseUrl + path, { method: options.method ?? 'GET', headers, ...(payload !== undefined && { body: typeof payload === 'string' ? payload : new Uint8Array(payload) }) })
  const text = await response.text()
  let body: unknown = text === '' ? undefined : text
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  // Every answer a test receives must be one the OpenAPI document gives (docs/openapi.json).
  assertDocumented(options.method ?? 'GET', path, response.status, response.headers.get('content-type'), body)
  return { status: response.status, headers: response.headers, body }
}
