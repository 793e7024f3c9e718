import { SecretKeyError } from '../errors.js'
import { totpSealContext } from '../mfa/mfa.js'
import { newRecoverySalt, saltRecoveryHash } from '../mfa/recovery-codes.js'
import type { Repositories, Store } from '../ports/store.js'
import { sealingKey, type SecretBox } from './secret-box.js'

/**
 * Throws SecretKeyError unless `box` knows every key some stored secret is sealed with, so a wrong
 * key is caught when roster opens rather than at a user's next MFA check.
 */
export async function checkSealingKeys(store: Store, box: SecretBox): Promise<void> {
  const unknown = (await store.read((r) => r.secretUpkeep.sealingKeyIds())).filter((id) => !box.knows(id))
  if (unknown.length > 0) {
    throw new SecretKeyError(
      `This database's secrets are sealed with key ${unknown.join(', ')}, but roster was given key ${box.keyId}: ` +
        'give the key they were sealed with (--secret-key-file, ROSTER_SECRET_KEY or openRoster({ secretKey })); ' +
        'an interrupted `roster secrets rotate` is finished by running it again',
    )
  }
}

/** Seals every TOTP secret not sealed with the box's current key (clear-text ones of an earlier roster included) inside `tx`. */
async function resealAll(tx: Repositories, box: SecretBox): Promise<number> {
  const stale = await tx.secretUpkeep.totpSecretsNotSealedWith(box.keyId)
  for (const row of stale) {
    const context = totpSealContext(row.userId)
    const clear = row.keyId === null ? row.value : box.open({ keyId: row.keyId, value: row.value }, context)
    await tx.secretUpkeep.replaceTotpSecret(row.tenantId, row.factorId, box.seal(clear, context))
  }
  return stale.length
}

/**
 * Brings every TOTP secret under the box's current key in one transaction: AES-GCM is quick, so
 * the work stays inside it and no secret is ever left half done. Returns how many were rewritten.
 */
export async function resealTotpSecrets(store: Store, box: SecretBox): Promise<number> {
  // Looked at first, so the usual open (nothing to do) takes no write lock.
  if ((await store.read((r) => r.secretUpkeep.totpSecretsNotSealedWith(box.keyId))).length === 0) return 0
  return store.transaction((tx) => resealAll(tx, box))
}

/**
 * Makes `newSecret` the key every secret is sealed with, re-sealing them all in one transaction; the
 * old key still opens anything it sealed in this process. Nothing changes when the transaction fails.
 */
export async function rotateSecretKey(store: Store, box: SecretBox, newSecret: string): Promise<{ keyId: string; resealed: number }> {
  const key = sealingKey(newSecret)
  let undo: (() => void) | undefined
  try {
    return await store.transaction(async (tx) => {
      // Switched inside the transaction: every enrolment seals inside its own, so none slips past with the old key.
      undo = box.use(key)
      return { keyId: key.id, resealed: await resealAll(tx, box) }
    })
  } catch (error) {
    undo?.()
    throw error
  }
}

/**
 * Salts recovery codes an earlier roster stored as bare SHA-256 hashes: scrypt runs outside any
 * transaction, then one transaction swaps each hash that is still unsalted. Returns how many.
 */
export async function saltLegacyRecoveryCodes(store: Store): Promise<number> {
  const users = await store.read((r) => r.secretUpkeep.unsaltedRecoveryCodes())
  if (users.length === 0) return 0
  const salted = await Promise.all(users.map(async (user) => {
    const salt = newRecoverySalt()
    return { ...user, salt, next: await Promise.all(user.hashes.map((hash) => saltRecoveryHash(hash, salt))) }
  }))
  return store.transaction(async (tx) => {
    let count = 0
    for (const user of salted) {
      for (const [i, hash] of user.hashes.entries()) {
        if (await tx.secretUpkeep.saltRecoveryCode(user.tenantId, user.userId, hash, user.salt, user.next[i]!)) count++
      }
    }
    return count
  })
}
