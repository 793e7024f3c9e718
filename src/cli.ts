import { HELP } from './cli/help.js'
import { keysCommand } from './cli/keys-command.js'
import { secretsCommand } from './cli/secrets-command.js'
import { serveCommand } from './cli/serve-command.js'
import { tenantsCommand } from './cli/tenants-command.js'
import { UsageError } from './cli/usage-error.js'
import { RosterError, SecretKeyError } from './core/errors.js'

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (!command || command === '--help' || command === '-h' || command === 'help') return void process.stdout.write(HELP)
  if (command === 'serve') return serveCommand(rest)
  if (command === 'keys') return keysCommand(rest)
  if (command === 'tenants') return tenantsCommand(rest)
  if (command === 'secrets') return secretsCommand(rest)
  throw new UsageError(`unknown command "${argv.join(' ')}"`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof RosterError || error instanceof SecretKeyError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`roster: ${(error as Error).message}\nRun "roster --help" for usage.\n`)
  } else {
    process.stderr.write(`roster: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  }
  process.exit(1)
})
