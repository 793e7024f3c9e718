import { connect } from 'node:net'

export interface RawResponse {
  /** The status of the first response, or null when the server sent none. */
  readonly status: number | null
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Everything the server sent. */
  readonly raw: string
  /** Whether the server closed the connection (rather than the wait running out). */
  readonly closed: boolean
}

export interface RawOptions {
  /** How long to wait for the server to close, in ms; the reply so far is returned then. Default 2000. */
  readonly waitMs?: number
  /** Bytes sent after the first ones, each after `intervalMs`. */
  readonly trickle?: readonly (string | Buffer)[]
  readonly intervalMs?: number
}

/** Sends `bytes` over a fresh TCP connection and collects what comes back until the server closes or the wait ends. */
export function sendRaw(port: number, bytes: string | Buffer, options: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes)
      const rest = [...(options.trickle ?? [])]
      const next = () => {
        const piece = rest.shift()
        if (piece === undefined || socket.destroyed) return
        socket.write(piece, () => setTimeout(next, options.intervalMs ?? 100))
      }
      if (rest.length > 0) setTimeout(next, options.intervalMs ?? 100)
    })
    let done = false
    const finish = (closed: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(parse(Buffer.concat(chunks).toString('latin1'), closed))
    }
    const timer = setTimeout(() => finish(false), options.waitMs ?? 2000)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
  })
}

function parse(raw: string, closed: boolean): RawResponse {
  const end = raw.indexOf('\r\n\r\n')
  const head = end === -1 ? raw : raw.slice(0, end)
  const [statusLine = '', ...lines] = head.split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: status ? Number(status) : null, headers, body: end === -1 ? '' : raw.slice(end + 4), raw, closed }
}
