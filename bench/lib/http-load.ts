import { Agent, request } from 'node:http'

/** One request of a load: path, method and JSON body. */
export interface LoadRequest {
  readonly method: 'GET' | 'POST' | 'PATCH'
  readonly path: string
  readonly body?: unknown
  /** Request headers besides the key and the body's. */
  readonly headers?: Readonly<Record<string, string>>
}

export interface LoadResult {
  /** Answered requests per second. */
  readonly rate: number
  readonly answered: number
  /** Requests that failed or got a status other than `expect` allows. */
  readonly errors: number
  /** Every answered request's latency in ms, ascending. */
  readonly latencies: readonly number[]
  /** A few of the failures, for the log. */
  readonly samples: readonly string[]
}

/**
 * `connections` clients, each on its own keep-alive connection sending the next request as soon as the
 * last is answered, for `ms` milliseconds. `next(i)` makes the i-th request; `expect` tells a good status.
 */
export async function runLoad(options: {
  readonly url: string
  readonly key: string
  readonly connections: number
  readonly ms: number
  readonly next: (i: number) => LoadRequest
  readonly expect?: (status: number, request: LoadRequest) => boolean
}): Promise<LoadResult> {
  const target = new URL(options.url)
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const expect = options.expect ?? ((status) => status >= 200 && status < 300)
  const latencies: number[] = []
  const samples: string[] = []
  let errors = 0
  let issued = 0

  const send = (load: LoadRequest) => new Promise<number>((resolve, reject) => {
    const payload = load.body === undefined ? undefined : JSON.stringify(load.body)
    const req = request({
      agent, host: target.hostname, port: target.port, method: load.method, path: load.path,
      headers: { authorization: `Bearer ${options.key}`, ...load.headers, ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
    }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(payload)
  })

  // Every client connects (one untimed request each) before the clock starts, as wrk and autocannon
  // do: 200 connections opened at once from this process stalled some first requests 1-4 s against the
  // bare server as much as against roster, a cost of the harness, not of either server.
  await Promise.all(Array.from({ length: options.connections }, () => send({ method: 'GET', path: '/healthz' }).catch(() => 0)))
  const started = performance.now()
  const deadline = started + options.ms

  const client = async () => {
    while (performance.now() < deadline) {
      const load = options.next(issued++)
      const at = performance.now()
      try {
        const status = await send(load)
        latencies.push(performance.now() - at)
        if (!expect(status, load)) {
          errors++
          if (samples.length < 5) samples.push(`${load.method} ${load.path}: ${status}`)
        }
      } catch (error) {
        errors++
        if (samples.length < 5) samples.push(`${load.method} ${load.path}: ${(error as Error).message}`)
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, client))
  const elapsed = performance.now() - started
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return { rate: (latencies.length * 1000) / elapsed, answered: latencies.length, errors, latencies, samples }
}

/** The latency below which `share` of the answered requests fall (0.99 for p99). */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!
}
