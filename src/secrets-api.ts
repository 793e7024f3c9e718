// Types only, apart from the code that opens secrets: the public declarations must not reach the driver's types.

export interface SecretKeyOptions {
  /**
   * The host's secret key (at least 32 characters, e.g. 32 random bytes in base64url): MFA secrets are
   * sealed with AES-256-GCM under a key derived from it. Give this or `secretKeyFile`; with neither,
   * roster uses `<db>.key` beside the database, creating it (mode 0600) the first time.
   */
  readonly secretKey?: string | undefined
  /** A file holding the secret key. */
  readonly secretKeyFile?: string | undefined
  /** Keys that sealed secrets before `secretKey`: roster re-seals those secrets under `secretKey` as it opens. */
  readonly previousSecretKeys?: readonly string[] | undefined
  /** Hears roster's one-line notices (the key file it created, a key file others can read). Default: stderr. */
  readonly onNotice?: ((message: string) => void) | undefined
}

/** Roster's `secrets` member: which key seals, and rotation to a new one. */
export interface SecretsApi {
  /** The id of the key new secrets are sealed with (also stored beside each sealed secret). */
  keyId(): string
  /**
   * Re-seals every secret under `newSecretKey` in one transaction and seals new ones with it from
   * now on, then scrubs the file so nothing sealed under the old key lingers. Open roster with the
   * new key afterwards (or give the old one in `previousSecretKeys` until you do).
   */
  rotate(newSecretKey: string): Promise<{ keyId: string; resealed: number }>
}
