import { closeSync, existsSync, fsyncSync, openSync, renameSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openRoster } from '../open-roster.js'
import { createSecretKeyFile, defaultSecretKeyFile, readSecretKeyFile } from '../secret-key-file.js'
import { dbPath } from './env-defaults.js'
import { SECRET_KEY_FILE_OPTION, secretKeyOptions } from './secret-key-options.js'
import { UsageError } from './usage-error.js'

const notice = (message: string) => void process.stderr.write(`${message}\n`)

/** `roster secrets rotate`: re-seals every MFA secret under a new key. */
export async function secretsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  if (action === 'rotate') return rotate(rest)
  throw new UsageError(`unknown command "secrets ${args.join(' ')}"`)
}

/**
 * Rotation that survives being cut short. The new key is on disk (mode 0600, synced) before any
 * secret is re-sealed under it; the re-sealing is one transaction; only then does the new key file
 * replace the old one. Cut short before the rename, the database may already use the new key while
 * the key file still holds the old one: opening says so, and running rotate again finishes the job.
 * Stop servers using the database first: they hold the old key.
 */
async function rotate(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, 'new-secret-key-file': { type: 'string' }, ...SECRET_KEY_FILE_OPTION } })
  const db = dbPath(values.db)
  if (db === ':memory:') throw new UsageError('secrets rotate needs a database file (--db PATH)')
  const current = secretKeyOptions(values['secret-key-file'])
  const currentFile = current.secretKey === undefined ? (current.secretKeyFile ?? defaultSecretKeyFile(db)) : undefined
  const newFile = values['new-secret-key-file'] ?? (currentFile === undefined ? undefined : `${currentFile}.next`)
  if (newFile === undefined) throw new UsageError('with ROSTER_SECRET_KEY set, give --new-secret-key-file FILE: the new key is written there')
  if (!existsSync(db)) throw new UsageError(`no database at ${db}`)

  const oldSecret = current.secretKey ?? readSecretKeyFile(currentFile!, notice)
  // An existing file is the new key of an interrupted rotation: reusing it lets this run finish that one.
  const newSecret = createSecretKeyFile(newFile) ?? readSecretKeyFile(newFile, notice)
  const roster = await openRoster({ path: db, secretKey: oldSecret, previousSecretKeys: [newSecret], onNotice: notice })
  let result: { keyId: string; resealed: number }
  try {
    result = await roster.secrets.rotate(newSecret)
  } finally {
    await roster.close()
  }
  if (values['new-secret-key-file'] === undefined && currentFile !== undefined) {
    renameSync(newFile, currentFile)
    syncFolder(path.dirname(currentFile))
    process.stdout.write(`resealed ${result.resealed} MFA secrets under key ${result.keyId}; ${currentFile} now holds the new key\n`)
  } else {
    process.stdout.write(`resealed ${result.resealed} MFA secrets under key ${result.keyId}, which is in ${newFile}: use it from now on (--secret-key-file or ROSTER_SECRET_KEY)\n`)
  }
}

/** Makes a rename in `folder` durable; a platform that cannot sync folders keeps its own guarantees. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Windows cannot open a folder for syncing; its rename is already as durable as it gets.
  }
}
