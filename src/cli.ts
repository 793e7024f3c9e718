import { HELP } from './cli/help.js'
import { StartupError, UsageError } from './cli/usage-error.js'
import { packageVersion } from './cli/version.js'
import { RosterError, SecretKeyError, StorageError } from './core/errors.js'

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') return void process.stdout.write(HELP)
  if (command === '--version' || command === '-v') return void process.stdout.write(`${packageVersion()}\n`)
  // Commands load on demand: `--help` and `--version` must not pay for SQLite, kysely and the HTTP routes.
  if (command === 'serve') return (await import('./cli/serve-command.js')).serveCommand(rest)
  if (command === 'keys') return (await import('./cli/keys-command.js')).keysCommand(rest)
  if (command === 'tenants') return (await import('./cli/tenants-command.js')).tenantsCommand(rest)
  if (command === 'secrets') return (await import('./cli/secrets-command.js')).secretsCommand(rest)
  if (command === 'migrate-store') return (await import('./cli/migrate-store-command.js')).migrateStoreCommand(rest)
  throw new UsageError(`unknown command "${argv.join(' ')}"`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`roster: ${describe(error)}\n`)
  process.exit(1)
})

/** One line for anything the operator can fix; a stack only for a bug. */
function describe(error: unknown): string {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    return `${(error as Error).message}\nRun "roster --help" for usage.`
  }
  if (error instanceof StartupError || error instanceof RosterError || error instanceof SecretKeyError) return error.message
  if (error instanceof StorageError) {
    const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? `: ${error.cause.message}` : ''
    return error.message + cause
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}
