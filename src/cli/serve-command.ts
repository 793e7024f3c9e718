import { createServer, type ServerResponse } from 'node:http'
import { parseArgs } from 'node:util'
import { MIN_BOOTSTRAP_KEY_LENGTH } from '../core/auth/authenticator.js'
import { createHttpHandler } from '../http/create-http-handler.js'
import { openRoster } from '../open-roster.js'
import { UsageError } from './usage-error.js'

/** `roster serve`: the HTTP APIs over one store until SIGINT/SIGTERM, then a graceful stop. */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, durability: { type: 'string' } } })
  const durability = values.durability ?? 'full'
  if (durability !== 'full' && durability !== 'normal') throw new UsageError('--durability must be full or normal')
  const port = Number(values.port ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535`)
  const host = values.host ?? '127.0.0.1'
  const bootstrapKey = process.env['ROSTER_BOOTSTRAP_KEY']
  if (bootstrapKey !== undefined && bootstrapKey.length < MIN_BOOTSTRAP_KEY_LENGTH) {
    throw new UsageError(`ROSTER_BOOTSTRAP_KEY must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters`)
  }

  const roster = await openRoster({ path: values.db ?? './roster.db', bootstrapKey, durability })
  if (bootstrapKey === undefined) {
    const generated = await roster.bootstrap.ensureKey()
    if (generated) process.stderr.write(`roster: generated bootstrap key (shown once, keep it safe): ${generated}\n`)
  }
  const handler = createHttpHandler(roster)
  const pending = new Set<ServerResponse>()
  let stopping = false
  const server = createServer((req, res) => {
    pending.add(res)
    res.once('close', () => pending.delete(res))
    if (stopping) res.setHeader('connection', 'close')
    handler(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  process.stdout.write(`roster listening on http://${host.includes(':') ? `[${host}]` : host}:${actualPort}\n`)

  const stop = () => {
    if (stopping) return
    stopping = true
    // A response finished after this point would leave its keep-alive socket open for its whole timeout.
    for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close')
    // close() waits for requests in flight; idle keep-alive sockets would otherwise hold it open.
    server.close(() => {
      void roster.close().then(() => process.exit(0), (error) => {
        console.error('roster: closing the database failed', error)
        process.exit(1)
      })
    })
    server.closeIdleConnections()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
