import { UsageError } from './usage-error.js'

/** The flag's value, else the environment variable's (empty counts as unset), else `fallback`; flags win. */
function pick(flag: string | undefined, variable: string, fallback: string): { value: string; from: string } {
  if (flag !== undefined) return { value: flag, from: `--${variable.slice('ROSTER_'.length).toLowerCase()}` }
  const env = process.env[variable]
  return env ? { value: env, from: variable } : { value: fallback, from: 'the default' }
}

/** `--db`, else `ROSTER_DB`, else `./roster.db`. */
export function dbPath(flag: string | undefined): string {
  return pick(flag, 'ROSTER_DB', './roster.db').value
}

/** Where a command's data lives: an SQLite file, or a PostgreSQL database. */
export type StoreLocation = { readonly path: string; readonly postgres?: undefined } | { readonly postgres: { readonly connectionString: string }; readonly path?: undefined }

/**
 * `--postgres URL` (else `ROSTER_DATABASE_URL`) opens PostgreSQL; otherwise the SQLite file of dbPath.
 * A flag wins over the environment; naming both engines at the same level is a UsageError.
 */
export function storeLocation(dbFlag: string | undefined, postgresFlag: string | undefined): StoreLocation {
  if (dbFlag !== undefined && postgresFlag !== undefined) throw new UsageError('give --db or --postgres, not both')
  if (postgresFlag !== undefined) return postgresAt(postgresFlag, '--postgres')
  if (dbFlag !== undefined) return { path: dbFlag }
  const url = process.env['ROSTER_DATABASE_URL']
  if (url) {
    if (process.env['ROSTER_DB']) throw new UsageError('set ROSTER_DB or ROSTER_DATABASE_URL, not both')
    return postgresAt(url, 'ROSTER_DATABASE_URL')
  }
  return { path: dbPath(undefined) }
}

function postgresAt(url: string, from: string): StoreLocation {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`${from} must be a postgres:// URL`)
  return { postgres: { connectionString: url } }
}

/** `--host`, else `ROSTER_HOST`, else `127.0.0.1`. */
export function listenHost(flag: string | undefined): string {
  return pick(flag, 'ROSTER_HOST', '127.0.0.1').value
}

/** `--port`, else `ROSTER_PORT`, else 3000; UsageError naming whichever gave a value that is no port. */
export function listenPort(flag: string | undefined): number {
  const { value, from } = pick(flag, 'ROSTER_PORT', '3000')
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`${from} must be an integer from 0 to 65535`)
  return port
}
