import { HELP } from './cli/help.js'
import { UsageError } from './cli/usage-error.js'
import { packageVersion } from './cli/version.js'
import { RosterError } from './core/errors.js'

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') return void process.stdout.write(HELP)
  if (command === '--version' || command === '-v') return void process.stdout.write(`${packageVersion()}\n`)
  // Commands load on demand: `--help` and `--version` must not pay for SQLite, kysely and the HTTP routes.
  if (command === 'serve') return (await import('./cli/serve-command.js')).serveCommand(rest)
  if (command === 'keys') return (await import('./cli/keys-command.js')).keysCommand(rest)
  throw new UsageError(`unknown command "${argv.join(' ')}"`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof RosterError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`roster: ${(error as Error).message}\nRun "roster --help" for usage.\n`)
  } else {
    process.stderr.write(`roster: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  process.exit(1)
})
