import type { RosterError } from '../core/errors.js'
import { HttpError } from './http-error.js'

/** Wire name → domain name, by dot path (`owner.email_address` → `owner.email`); names absent here are the same on both sides. */
export type Renames = Readonly<Record<string, string>>

/**
 * Renames a JSON body's wire field names to the core's. A domain spelling sent on the wire
 * (`externalId` where the API says `external_id`) is refused as unknown, so each field has one name.
 */
export function fromWire(body: unknown, renames: Renames, prefix = ''): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const domainOnly = new Set(Object.entries(renames).filter(([wire, domain]) => wire !== domain).map(([, domain]) => domain))
  // Null prototype and own-property lookups: a body key like `__proto__` or `constructor` is just an unknown field.
  const out: Record<string, unknown> = Object.create(null)
  for (const [key, value] of Object.entries(body)) {
    const wirePath = prefix + key
    if (domainOnly.has(wirePath) && !Object.hasOwn(renames, wirePath)) throw new HttpError(400, `Unknown field: ${wirePath}`, wirePath)
    const domainPath = Object.hasOwn(renames, wirePath) ? renames[wirePath]! : wirePath
    const name = domainPath.slice(domainPath.lastIndexOf('.') + 1)
    out[name] = isNested(renames, wirePath) ? fromWire(value, renames, `${wirePath}.`) : value
  }
  return out
}

/** The error with its field and message spoken in wire names again. */
export function toWire<E extends RosterError | HttpError>(error: E, renames: Renames): { field?: string; message: string } {
  if (!error.field) return { message: error.message }
  for (const [wire, domain] of Object.entries(renames)) {
    if (error.field === domain || error.field.startsWith(`${domain}.`)) {
      const field = wire + error.field.slice(domain.length)
      return { field, message: error.message.split(error.field).join(field) }
    }
  }
  return { field: error.field, message: error.message }
}

function isNested(renames: Renames, path: string): boolean {
  return Object.keys(renames).some((wire) => wire.startsWith(`${path}.`))
}

export type QuerySpec = Readonly<Record<string, 'string' | 'integer'>>

/**
 * Reads query parameters named in `spec` (wire names), renamed to domain names. An unknown or
 * repeated parameter is an HttpError 400 naming it; integers that do not parse stay strings for the core to reject.
 */
export function readQuery(url: URL, spec: QuerySpec, renames: Renames): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of new Set(url.searchParams.keys())) {
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined
    if (!kind) throw new HttpError(400, `Unknown query parameter: ${name}`, name)
    const values = url.searchParams.getAll(name)
    if (values.length > 1) throw new HttpError(400, `Query parameter ${name} must be given once`, name)
    const value = values[0] ?? ''
    out[Object.hasOwn(renames, name) ? renames[name]! : name] = kind === 'integer' && /^-?\d{1,15}$/.test(value) ? Number(value) : value
  }
  return out
}
