import { createSecretBox, sealingKey, type SecretBox } from './core/sealing/secret-box.js'
import { checkSealingKeys, resealTotpSecrets, rotateSecretKey, saltLegacyRecoveryCodes } from './core/sealing/secret-upkeep.js'
import { resolveSecretKey } from './secret-key-file.js'
import type { Store } from './core/ports/store.js'
import type { SecretKeyOptions, SecretsApi } from './secrets-api.js'

/**
 * Rewrites the storage so bytes of replaced secrets do not linger (`force`, or when a migration asked);
 * whether it ran. SQLite scrubs its file (sqlite-scrub.ts); PostgreSQL has nothing roster can rewrite.
 */
export type Scrub = (force: boolean) => Promise<boolean>


/**
 * Picks the secret key and makes the database agree with it before any call is served: the key
 * must open everything sealed (SecretKeyError otherwise); secrets an earlier roster stored in clear,
 * or sealed under a previous key, are sealed under it in one transaction; recovery codes stored as
 * bare hashes are salted; and if anything was rewritten, or a migration asked, the file is scrubbed.
 */
export async function openSecretBox(store: Store, path: string | null, options: SecretKeyOptions, scrub: Scrub): Promise<SecretBox> {
  const onNotice = options.onNotice ?? ((message: string) => void process.stderr.write(`${message}\n`))
  const sealed = await store.read((r) => r.secretUpkeep.sealingKeyIds())
  const secret = resolveSecretKey(path, { secretKey: options.secretKey, secretKeyFile: options.secretKeyFile, onNotice }, sealed.length > 0)
  const box = createSecretBox(sealingKey(secret), (options.previousSecretKeys ?? []).map(sealingKey))
  await checkSealingKeys(store, box)
  const rewritten = (await resealTotpSecrets(store, box)) + (await saltLegacyRecoveryCodes(store))
  await scrub(rewritten > 0)
  return box
}

/** Roster's `secrets` member: which key seals, and rotation to a new one. */
export function secretsApi(store: Store, box: SecretBox, scrub: Scrub): SecretsApi {
  return {
    /** The id of the key new secrets are sealed with (also stored beside each sealed secret). */
    keyId: (): string => box.keyId,
    /**
     * Re-seals every secret under `newSecretKey` in one transaction and seals new ones with it from
     * now on, then scrubs the file so nothing sealed under the old key lingers. Open roster with the
     * new key afterwards (or give the old one in `previousSecretKeys` until you do).
     */
    rotate: async (newSecretKey: string): Promise<{ keyId: string; resealed: number }> => {
      const result = await rotateSecretKey(store, box, newSecretKey)
      await scrub(true)
      return result
    },
  }
}
