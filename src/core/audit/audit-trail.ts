import type { TenantId } from '../ids.js'
import type { Repositories } from '../ports/store.js'
import type { Principal } from '../principal.js'
import type { AuditAction, AuditActorType, AuditSurface, AuditTargetType } from './audit-entry.js'
import { newAuditId } from './audit-id.js'

/** Who is changing something, and through which surface and request. */
export interface AuditActor {
  readonly actor: string
  readonly actorType: AuditActorType
  readonly surface: AuditSurface
  readonly requestId: string | null
}

/** The actor a principal stands for; the surface and request id come from the call context the HTTP adapter sets. */
export function auditActor(principal: Principal): AuditActor {
  const surface = principal.via?.surface ?? 'library'
  const requestId = principal.via?.requestId ?? null
  if (principal.kind === 'bootstrap') return { actor: 'bootstrap', actorType: 'bootstrap', surface, requestId }
  if (principal.kind === 'user') return { actor: principal.credentialId, actorType: 'credential', surface, requestId }
  if (principal.keyId === null) return { actor: 'host', actorType: 'host', surface, requestId }
  return { actor: principal.keyId, actorType: 'key', surface, requestId }
}

/** A change spent by a password-reset token: it needs no principal, the token is the proof. */
export const RESET_TOKEN_ACTOR: AuditActor = Object.freeze({ actor: 'reset_token', actorType: 'reset_token', surface: 'library', requestId: null })

/** One change to record. `before` is null for a creation, `after` null for a deletion. */
export interface AuditChange {
  readonly action: AuditAction
  readonly targetType: AuditTargetType
  readonly targetId: string
  readonly before?: object | null | undefined
  readonly after?: object | null | undefined
  /** Secret fields the change set or cleared: named in the entry, their values never kept. */
  readonly secrets?: readonly string[] | undefined
}

// Whatever a domain object carries, a field whose name says secret, hash, token or password is never
// valued in the log: a new secret field added later is kept out without anyone remembering this list.
const SECRET_NAME = /secret|hash|token|password|salt/i
// Bookkeeping every change moves, or the tenant's name repeated on each user: noise in a diff.
const IGNORED = new Set(['updatedAt', 'tenantId', 'tenantName', 'version'])

// Whether a field name is left out, decided once per name: the same few dozen names come by on every change.
const skipped = new Map<string, boolean>()
function isSkipped(name: string): boolean {
  let skip = skipped.get(name)
  if (skip === undefined) {
    skip = IGNORED.has(name) || SECRET_NAME.test(name)
    if (skipped.size < 1_000) skipped.set(name, skip)
  }
  return skip
}

/** Deep equality of JSON-like values (metadata, id lists), without serialising either. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const aKeys = Object.keys(a)
  if (aKeys.length !== Object.keys(b).length) return false
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false
    if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
  }
  return true
}

/** The non-secret fields that differ between `before` and `after`, with both values. */
export function describeChange(before: object | null | undefined, after: object | null | undefined) {
  const b = (before ?? {}) as Record<string, unknown>
  const a = (after ?? {}) as Record<string, unknown>
  const fields: string[] = []
  const was: Record<string, unknown> = {}
  const is: Record<string, unknown> = {}
  const compare = (name: string) => {
    if (isSkipped(name)) return
    const old = b[name] ?? null
    const now = a[name] ?? null
    // A creation lists what it set, a deletion what it removed: nulls on both sides say nothing.
    if (sameValue(old, now)) return
    fields.push(name)
    if (before) was[name] = old
    if (after) is[name] = now
  }
  for (const name of Object.keys(b)) compare(name)
  for (const name of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, name)) compare(name)
  return { fields, before: was, after: is }
}

/** Appends the entry for `change` inside `tx`, so it commits exactly when the change does. */
export async function recordAudit(tx: Repositories, who: AuditActor, tenantId: TenantId, change: AuditChange, at: string): Promise<void> {
  const described = describeChange(change.before, change.after)
  const fields = change.secrets ? [...described.fields, ...change.secrets] : described.fields
  await tx.audit.append({
    id: newAuditId(),
    tenantId,
    at,
    actor: who.actor,
    actorType: who.actorType,
    surface: who.surface,
    requestId: who.requestId,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId,
    fields,
    before: described.before,
    after: described.after,
  })
}
