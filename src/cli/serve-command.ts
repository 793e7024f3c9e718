import type { Server, ServerResponse } from 'node:http'
import { parseArgs } from 'node:util'
import { MIN_BOOTSTRAP_KEY_LENGTH } from '../core/auth/authenticator.js'
import { createRosterServer, SERVER_DEFAULTS } from '../http/create-roster-server.js'
import { formatLogLine } from '../http/request-log.js'
import { openRoster } from '../open-roster.js'
import { listenHost, listenPort, storeLocation } from './env-defaults.js'
import { SECRET_KEY_FILE_OPTION, secretKeyOptions } from './secret-key-options.js'
import { listenFailure } from './startup-errors.js'
import { UsageError } from './usage-error.js'

const OPTIONS = {
  db: { type: 'string' },
  postgres: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  quiet: { type: 'boolean' },
  durability: { type: 'string' },
  console: { type: 'boolean' },
  'headers-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'keep-alive-timeout': { type: 'string' },
  'max-connections': { type: 'string' },
  ...SECRET_KEY_FILE_OPTION,
} as const

/** `roster serve`: the HTTP APIs over one store until SIGINT/SIGTERM, then a graceful stop. */
export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: OPTIONS })
  const port = listenPort(values.port)
  const host = listenHost(values.host)
  const durability = values.durability ?? 'full'
  if (durability !== 'full' && durability !== 'normal') throw new UsageError('--durability must be full or normal')
  const bootstrapKey = process.env['ROSTER_BOOTSTRAP_KEY']
  if (bootstrapKey !== undefined && bootstrapKey.length < MIN_BOOTSTRAP_KEY_LENGTH) {
    throw new UsageError(`ROSTER_BOOTSTRAP_KEY must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters`)
  }
  const limits = {
    headersTimeoutMs: seconds(values['headers-timeout'], '--headers-timeout'),
    requestTimeoutMs: seconds(values['request-timeout'], '--request-timeout'),
    keepAliveTimeoutMs: seconds(values['keep-alive-timeout'], '--keep-alive-timeout'),
    maxConnections: count(values['max-connections'], '--max-connections'),
  }

  const roster = await openRoster({ ...storeLocation(values.db, values.postgres), bootstrapKey, durability, ...secretKeyOptions(values['secret-key-file']) })
  const server = createRosterServer(roster, {
    ...limits,
    console: values.console === true,
    ...(!values.quiet && { onRequest: (entry) => void process.stdout.write(formatLogLine(entry)) }),
  })
  try {
    await listen(server, port, host)
  } catch (error) {
    await roster.close()
    throw listenFailure(error, host, port)
  }
  // Generated only now: a start that fails to listen never burns a key nobody saw.
  if (bootstrapKey === undefined) {
    const generated = await roster.bootstrap.ensureKey()
    if (generated) process.stderr.write(`roster: generated bootstrap key (shown once, keep it safe): ${generated}\n`)
  }
  // Before the listening line: a signal sent the moment it appears must already stop the server gracefully.
  stopOnSignal(server, () => roster.close())
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`
  process.stdout.write(`roster listening on ${origin}\n`)
  if (values.console) process.stderr.write(`roster: admin console at ${origin}/console/\n`)
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** SIGINT/SIGTERM: stop accepting, finish requests in flight, close the store, exit 0. */
function stopOnSignal(server: Server, close: () => Promise<void>): void {
  const pending = new Set<ServerResponse>()
  let stopping = false
  server.prependListener('request', (_req, res: ServerResponse) => {
    pending.add(res)
    res.once('close', () => pending.delete(res))
    if (stopping) res.setHeader('connection', 'close')
  })
  const stop = () => {
    if (stopping) return
    stopping = true
    // A response finished after this point would leave its keep-alive socket open for its whole timeout.
    for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close')
    // close() waits for requests in flight; idle keep-alive sockets would otherwise hold it open.
    server.close(() => {
      void close().then(() => process.exit(0), (error) => {
        console.error('roster: closing the database failed', error)
        process.exit(1)
      })
    })
    server.closeIdleConnections()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 3600) throw new UsageError(`${flag} must be a number of seconds from 0 to 3600`)
  return Math.round(parsed * 1000)
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`${flag} must be a whole number of at least 1 (default ${SERVER_DEFAULTS.maxConnections})`)
  return parsed
}
