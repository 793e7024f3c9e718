import type { CredentialMatch } from '../ports/credential-repository.js'
import type { Store } from '../ports/store.js'

/**
 * Finds credentials by secret hash, letting concurrent verifications of one secret share a single
 * read. A caller joins only a read that has not started yet, so it never sees state older than its
 * own call: a revocation committed before a verification began is always seen by it.
 */
export function createCredentialLookup(store: Store): (secretHash: string) => Promise<CredentialMatch | null> {
  const queued = new Map<string, Promise<CredentialMatch | null>>()
  return (secretHash) => {
    let read = queued.get(secretHash)
    if (!read) {
      read = store.read((r) => {
        queued.delete(secretHash)
        return r.credentials.findByHash(secretHash)
      })
      queued.set(secretHash, read)
    }
    return read
  }
}
