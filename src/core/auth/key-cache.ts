import type { AdminKeyId } from '../ids.js'
import type { Store } from '../ports/store.js'
import type { AdminPrincipal } from '../principal.js'

/** How many admin keys are remembered at most; the least recently used one goes first. */
export const KEY_CACHE_SIZE = 10_000
/** The longest an entry is trusted: a backstop, since every revocation in this process forgets its key at once. */
export const KEY_CACHE_TTL_MS = 5 * 60_000

/** What was known when a key was read from the store (see `ticket`). */
export interface KeyCacheTicket {
  readonly generation: number
  readonly foreign: number | null
}

interface Entry {
  readonly principal: AdminPrincipal
  readonly at: number
}

/**
 * Admin keys seen recently, by secret hash, so authenticating a known key reads nothing from the store.
 * A key revoked in this process is forgotten as its revocation returns; a key revoked by another process
 * on the same data is forgotten as soon as the store's foreignWrites() mark moves. A store that cannot
 * tell (foreignWrites() null), or `enabled: false`, turns the cache off.
 */
export function createKeyCache(store: Store, options: { enabled: boolean } = { enabled: true }) {
  const entries = new Map<string, Entry>()
  const hashes = new Map<AdminKeyId, string>()
  let mark: number | null = null
  // Moves on every forget, so an entry read from the store before a revocation is never stored after it.
  let generation = 0

  function usable(): boolean {
    if (!options.enabled) return false
    const now = store.foreignWrites()
    if (now === null) return false
    if (now !== mark) {
      entries.clear()
      hashes.clear()
      mark = now
    }
    return true
  }

  return {
    /** The principal the key hashing to `hash` stands for, if seen recently; null means ask the store. */
    get(hash: string): AdminPrincipal | null {
      if (!usable()) return null
      const entry = entries.get(hash)
      if (!entry) return null
      if (performance.now() - entry.at > KEY_CACHE_TTL_MS) {
        entries.delete(hash)
        return null
      }
      // Re-inserted so Map order is recency order and the oldest entry is the first to go.
      entries.delete(hash)
      entries.set(hash, entry)
      return entry.principal
    },
    /**
     * Taken before reading a key from the store; `put` ignores the read if anything was forgotten, or
     * another process wrote, since.
     */
    ticket(): KeyCacheTicket {
      return { generation, foreign: store.foreignWrites() }
    },
    put(hash: string, principal: AdminPrincipal, ticket: KeyCacheTicket): void {
      if (ticket.generation !== generation || ticket.foreign !== store.foreignWrites() || !principal.keyId || !usable()) return
      entries.set(hash, { principal, at: performance.now() })
      hashes.set(principal.keyId, hash)
      if (entries.size > KEY_CACHE_SIZE) {
        const [oldest, entry] = entries.entries().next().value as [string, Entry]
        entries.delete(oldest)
        if (entry.principal.keyId) hashes.delete(entry.principal.keyId)
      }
    },
    /** Forgets the key (revoked, or otherwise changed), so its next use reads the store. */
    forget(keyId: AdminKeyId): void {
      generation++
      const hash = hashes.get(keyId)
      hashes.delete(keyId)
      if (hash !== undefined) entries.delete(hash)
    },
  }
}

export type KeyCache = ReturnType<typeof createKeyCache>
