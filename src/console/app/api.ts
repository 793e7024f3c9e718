/** A failed call, in words a person can act on; `status` is 0 when roster could not be reached. */
export class ApiError extends Error {
  constructor(message: string, readonly status: number) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApiResponse<T> {
  readonly status: number
  readonly body: T
  readonly headers: Headers
}

export interface CallOptions {
  readonly method?: string
  readonly body?: unknown
  /** The admin key to send; the signed-in key by default. */
  readonly key?: string
  readonly signal?: AbortSignal
}

let currentKey: string | null = null
let onUnauthenticated: ((error: ApiError) => void) | null = null

/** The key every call sends, and what to do when roster stops accepting it (a revoked key). */
export function useKey(key: string | null, whenRefused: ((error: ApiError) => void) | null = null): void {
  currentKey = key
  onUnauthenticated = whenRefused
}

/**
 * One call to roster's own HTTP APIs (same origin). Resolves with the parsed body on a 2xx; any other
 * answer rejects with an ApiError carrying the API's own message, whichever of the three envelopes it
 * came in, so every failure can be shown in words.
 */
export async function call<T = any>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const key = options.key ?? currentKey
  const headers: Record<string, string> = { accept: 'application/json, application/vnd.api+json' }
  if (key) headers['authorization'] = `Bearer ${key}`
  let body: string | undefined
  if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] = path.startsWith('/api/v3/') ? 'application/vnd.api+json' : 'application/json'
  }
  let response: Response
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET', headers, cache: 'no-store', credentials: 'omit',
      ...(body !== undefined && { body }), ...(options.signal && { signal: options.signal }),
    })
  } catch (error) {
    if (options.signal?.aborted) throw error
    throw new ApiError('roster could not be reached: check that the server is still running, then try again.', 0)
  }
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (response.ok) return { status: response.status, body: parsed as T, headers: response.headers }
  const error = new ApiError(describeFailure(response, parsed), response.status)
  if (response.status === 401 && options.key === undefined) onUnauthenticated?.(error)
  throw error
}

/** The API's message from whichever envelope it used, else the status in words. */
function describeFailure(response: Response, body: unknown): string {
  const message = messageOf(body) ?? `roster answered ${response.status} ${response.statusText || 'with an error'}.`
  const retry = response.headers.get('retry-after')
  return retry ? `${message} Try again in ${retry} seconds.` : message
}

function messageOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null
  const record = body as Record<string, unknown>
  // The admin surface: {success: false, error}; health and unknown paths: {error}.
  if (typeof record['error'] === 'string') return record['error']
  // IAM (JSON:API) and account users: {errors: [{detail, title}]}.
  const errors = record['errors']
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as Record<string, unknown>
    const detail = first['detail'] ?? first['title']
    if (typeof detail === 'string') return detail
  }
  return null
}

/** `path?name=value…`, leaving out empty values. */
export function withQuery(path: string, query: Readonly<Record<string, string | number | undefined | null>>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value))
  const text = params.toString()
  return text === '' ? path : `${path}?${text}`
}
