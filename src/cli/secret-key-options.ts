import { MIN_SECRET_KEY_LENGTH } from '../core/sealing/secret-box.js'
import type { SecretKeyOptions } from '../secrets-api.js'
import { UsageError } from './usage-error.js'

/** The parseArgs option every command that opens a database takes. */
export const SECRET_KEY_FILE_OPTION = { 'secret-key-file': { type: 'string' } } as const

/**
 * openRoster's secret key from the command line: `--secret-key-file FILE`, or `ROSTER_SECRET_KEY`
 * (at least 32 characters), never both; with neither, roster uses the key file beside the database.
 */
export function secretKeyOptions(file: string | undefined): Pick<SecretKeyOptions, 'secretKey' | 'secretKeyFile'> {
  const fromEnv = process.env['ROSTER_SECRET_KEY']
  if (fromEnv !== undefined && file !== undefined) throw new UsageError('give --secret-key-file or ROSTER_SECRET_KEY, not both')
  if (fromEnv !== undefined && fromEnv.length < MIN_SECRET_KEY_LENGTH) {
    throw new UsageError(`ROSTER_SECRET_KEY must be at least ${MIN_SECRET_KEY_LENGTH} characters`)
  }
  if (fromEnv !== undefined) return { secretKey: fromEnv }
  return file === undefined ? {} : { secretKeyFile: file }
}
