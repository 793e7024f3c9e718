import { createServer, type ServerResponse } from 'node:http'
import { parseArgs } from 'node:util'
import { MIN_BOOTSTRAP_KEY_LENGTH } from './core/auth/authenticator.js'
import { RosterError } from './core/errors.js'
import { createHttpHandler } from './http/create-http-handler.js'
import { openRoster } from './open-roster.js'

const HELP = `roster: embeddable multi-tenant user accounts

Usage:
  roster serve [--db PATH] [--port N] [--host H]
      Serve the HTTP APIs over an SQLite file (default ./roster.db, created and migrated
      on first start; --db :memory: for a throwaway store). Port 3000 and host 127.0.0.1
      by default; --port 0 picks a free port. Prints "roster listening on http://HOST:PORT".
      ROSTER_BOOTSTRAP_KEY (32+ characters) sets the bootstrap key; without it a key is
      generated on a database that has none and printed once to stderr.
      SIGINT/SIGTERM: stop accepting, finish requests in flight, close the database, exit 0.

  roster keys create --entity NAME [--db PATH] [--name KEY_NAME] [--permissions a,b]
      Create a tenant named NAME and its first admin key, and print the key (shown once).

  roster --help
`

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') return void process.stdout.write(HELP)
  if (command === 'serve') return serve(rest)
  if (command === 'keys' && rest[0] === 'create') return createKey(rest.slice(1))
  throw new UsageError(`unknown command "${argv.join(' ')}"`)
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } })
  const port = Number(values.port ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535`)
  const host = values.host ?? '127.0.0.1'
  const bootstrapKey = process.env.ROSTER_BOOTSTRAP_KEY
  if (bootstrapKey !== undefined && bootstrapKey.length < MIN_BOOTSTRAP_KEY_LENGTH) {
    throw new UsageError(`ROSTER_BOOTSTRAP_KEY must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters`)
  }

  const roster = await openRoster({ path: values.db ?? './roster.db', bootstrapKey })
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

async function createKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { entity: { type: 'string' }, db: { type: 'string' }, name: { type: 'string' }, permissions: { type: 'string' } },
  })
  if (!values.entity) throw new UsageError('--entity NAME is required')
  const roster = await openRoster({ path: values.db ?? './roster.db' })
  try {
    const { tenant, key } = await roster.tenants.create(roster.principals.bootstrap(), {
      entityName: values.entity,
      ...(values.name !== undefined && { name: values.name }),
      ...(values.permissions !== undefined && { permissions: values.permissions.split(',').map((p) => p.trim()) as never }),
    })
    process.stdout.write(`tenant ${tenant.id} (${tenant.name})\nadmin key (shown once): ${key.secret}\n`)
  } finally {
    await roster.close()
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof RosterError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`roster: ${(error as Error).message}\nRun "roster --help" for usage.\n`)
  } else {
    process.stderr.write(`roster: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  process.exit(1)
})
