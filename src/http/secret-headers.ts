/** Headers of every answer that carries a secret shown once (a key, a credential, MFA material, a reset token): never cached. */
export const SECRET_HEADERS: Readonly<Record<string, string>> = { 'cache-control': 'no-store' }
