import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { SecretKeyError, ValidationError } from './core/errors.js'
import { MIN_SECRET_KEY_LENGTH } from './core/sealing/secret-box.js'

/** Where roster keeps the key it creates when the host gives none: beside the database, `<db>.key`. */
export function defaultSecretKeyFile(dbPath: string): string {
  return `${dbPath}.key`
}

/** A fresh secret key: 32 bytes from the CSPRNG in base64url (43 characters). */
export function generateSecretKey(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The key in `file`, trimmed. SecretKeyError when it cannot be read or is too short; `onNotice` hears a warning when
 * other users may read it (the key opens every sealed secret in the database).
 */
export function readSecretKeyFile(file: string, onNotice: (message: string) => void): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new SecretKeyError(`Cannot read the secret key file ${file}: ${(error as Error).message}`)
  }
  const secret = text.trim()
  if (secret.length < MIN_SECRET_KEY_LENGTH) throw new SecretKeyError(`The secret key file ${file} must hold a key of at least ${MIN_SECRET_KEY_LENGTH} characters`)
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    onNotice(`roster: warning: the secret key file ${file} can be read by other users; run chmod 600 on it`)
  }
  return secret
}

/** Writes a new random key to `file` with mode 0600, synced to disk; null when the file exists already (it is never overwritten). */
export function createSecretKeyFile(file: string): string | null {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return null
    throw new SecretKeyError(`Cannot create the secret key file ${file}: ${(error as Error).message}`)
  }
  const secret = generateSecretKey()
  try {
    writeSync(fd, `${secret}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return secret
}

export interface SecretKeySource {
  readonly secretKey?: string | undefined
  readonly secretKeyFile?: string | undefined
  readonly onNotice: (message: string) => void
}

/**
 * The secret key for the database at `path`: the one given, else the one in the file given, else
 * (`:memory:`) a throwaway one, else the key file beside the database, created with a notice the
 * first time. It is never created while sealed secrets exist: they would not open under a new key.
 * `path` is null for a database that is not a file (PostgreSQL): there is nowhere beside it, and the key
 * must never live in the database it protects, so the host has to give it.
 */
export function resolveSecretKey(path: string | null, source: SecretKeySource, sealedSecretsExist: boolean): string {
  if (source.secretKey !== undefined && source.secretKeyFile !== undefined) {
    throw new ValidationError('secretKey', 'give secretKey or secretKeyFile, not both')
  }
  if (source.secretKey !== undefined) return source.secretKey
  if (source.secretKeyFile !== undefined) return readSecretKeyFile(source.secretKeyFile, source.onNotice)
  if (path === null) {
    throw new SecretKeyError('On PostgreSQL roster needs its secret key, which never lives in the database: give secretKey or secretKeyFile (--secret-key-file or ROSTER_SECRET_KEY)')
  }
  if (path === ':memory:' || path === '') return generateSecretKey()
  const file = defaultSecretKeyFile(path)
  let exists = true
  try {
    statSync(file)
  } catch {
    exists = false
  }
  if (exists) return readSecretKeyFile(file, source.onNotice)
  if (sealedSecretsExist) {
    throw new SecretKeyError(`This database holds sealed secrets but no secret key was given and ${file} does not exist: restore that file, or give the key (--secret-key-file, ROSTER_SECRET_KEY or openRoster({ secretKey }))`)
  }
  const created = createSecretKeyFile(file)
  if (created === null) return readSecretKeyFile(file, source.onNotice)
  source.onNotice(`roster: created the secret key file ${file} (mode 0600). It seals the database's MFA secrets: back it up, but never beside copies of the database.`)
  return created
}
