import type { Clock } from '../clock.js'
import type { IdempotencyScope } from '../ports/idempotency-repository.js'
import type { Store } from '../ports/store.js'
import type { Principal } from '../principal.js'
import { idempotencySeal } from './idempotency-seal.js'

/** An answer as kept for replay: status, the headers a retry must see again, and the body's JSON text. */
export interface StoredResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** JSON text, or null for an answer without a body. */
  readonly body: string | null
}

/** The request an Idempotency-Key was sent with: what tells a retry from a different request. */
export interface IdempotentRequest {
  readonly method: string
  /** Path and query as sent. */
  readonly target: string
  readonly body: Uint8Array
}

/** What to do with a request carrying an Idempotency-Key. */
export type IdempotencyStart =
  /** First use (or an abandoned one): run it, then `finish` with the answer to keep, or `abandon` to keep none. */
  | { readonly kind: 'run'; finish(response: StoredResponse): Promise<void>; abandon(): Promise<void> }
  /** The key already answered this request: send that answer again. */
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  /** The key was used with a different request. */
  | { readonly kind: 'mismatch' }
  /** The first request with the key is still running after waiting `waitMs`. */
  | { readonly kind: 'busy' }

export interface IdempotencyOptions {
  /** How long an answer is kept, in ms. Default 24 hours. */
  readonly ttlMs?: number | undefined
  /** How long a running request holds its key before a retry may take it over (it is then taken to have died), in ms. Default 60 s. */
  readonly lockMs?: number | undefined
  /** How long a retry waits for a running first request before `busy`, in ms. Default 10 s. */
  readonly waitMs?: number | undefined
}

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
const LOCK_MS = 60_000
const WAIT_MS = 10_000
/** Retries of a request running in another process look again this often. */
const POLL_MS = 25
/** Expired entries deleted per batch: bounded, so pruning never holds the writer long. */
export const PRUNE_BATCH = 500
const PRUNE_EVERY_MS = 60_000

/** Whose keys a principal's requests use: its tenant and the key or credential it authenticated with. */
export function idempotencyScope(principal: Principal): IdempotencyScope {
  if (principal.kind === 'bootstrap') return { tenantId: null, actor: 'bootstrap' }
  if (principal.kind === 'user') return { tenantId: principal.tenantId, actor: principal.credentialId }
  return { tenantId: principal.tenantId, actor: principal.keyId ?? 'host' }
}

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString()
/** Resolves when `first` settles or after `ms`, whichever comes first, leaving no timer behind. */
function waitFor(first: Promise<void> | undefined, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    void first?.then(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/**
 * Idempotency-Keys (the IETF httpapi draft, as Stripe uses them): the first answer to a request is kept
 * for 24 hours per tenant and authenticating key, sealed under the caller's secret, and replayed to retries.
 */
export function createIdempotencyService(store: Store, clock: Clock, options: IdempotencyOptions = {}) {
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS
  const lockMs = options.lockMs ?? LOCK_MS
  const waitMs = options.waitMs ?? WAIT_MS
  // Requests running in this process, so a retry here wakes as soon as the first finishes instead of polling.
  const running = new Map<string, Promise<void>>()
  let prunedAt = -Infinity

  async function prune(limit = PRUNE_BATCH): Promise<number> {
    return store.transaction((tx) => tx.idempotency.pruneExpired(clock.now(), limit))
  }

  return {
    /**
     * Claims `idempotencyKey` for `request` of the caller authenticated by `secret` as `principal`, or says
     * why not. A retry of a request still running waits for it up to `waitMs` (then `busy`); an entry whose
     * request died (past its lock) is taken over. Only the caller's own secret opens a kept answer.
     */
    async begin(principal: Principal, secret: string, idempotencyKey: string, request: IdempotentRequest): Promise<IdempotencyStart> {
      const scope = idempotencyScope(principal)
      const seal = idempotencySeal(secret, idempotencyKey)
      const requestHash = seal.requestHash(request.method, request.target, request.body)
      const id = `${scope.tenantId ?? ''}\u0000${scope.actor}\u0000${seal.keyHash}`
      if (performance.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = performance.now()
        await prune()
      }
      const deadline = performance.now() + waitMs
      for (;;) {
        const now = clock.now()
        const found = await store.transaction(async (tx) => {
          const entry = await tx.idempotency.find(scope, seal.keyHash)
          if (entry && entry.expiresAt > now && (entry.response !== null || entry.lockedUntil > now)) return entry
          await tx.idempotency.put(scope, {
            keyHash: seal.keyHash, requestHash, response: null, lockedUntil: plus(now, lockMs), expiresAt: plus(now, ttlMs), createdAt: now,
          })
          return null
        })
        if (found === null) return claimed(scope, seal, requestHash, id)
        if (found.requestHash !== requestHash) return { kind: 'mismatch' }
        if (found.response !== null) {
          const text = seal.open(found.response)
          // Unopenable only if the row was altered: run nothing twice, answer as for a key in use.
          if (text === null) return { kind: 'busy' }
          return { kind: 'replay', response: JSON.parse(text) as StoredResponse }
        }
        const left = deadline - performance.now()
        if (left <= 0) return { kind: 'busy' }
        const first = running.get(id)
        await (first ? waitFor(first, left) : waitFor(undefined, Math.min(POLL_MS, left)))
      }
    },

    /** Deletes one batch of expired entries (as `begin` does once a minute); returns how many it deleted. */
    prune,
  }

  function claimed(scope: IdempotencyScope, seal: ReturnType<typeof idempotencySeal>, requestHash: string, id: string): IdempotencyStart {
    let done!: () => void
    running.set(id, new Promise<void>((resolve) => (done = resolve)))
    const settle = async (write: () => Promise<void>) => {
      try {
        await write()
      } finally {
        running.delete(id)
        done()
      }
    }
    return {
      kind: 'run',
      finish: (response) => settle(() => store.transaction((tx) =>
        tx.idempotency.complete(scope, seal.keyHash, requestHash, seal.seal(JSON.stringify(response))))),
      abandon: () => settle(() => store.transaction((tx) => tx.idempotency.release(scope, seal.keyHash, requestHash))),
    }
  }
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>
