import { HttpError } from '../http-error.js'
import type { Renames } from '../wire-fields.js'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const isScalar = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'

/** What a resource document asks for, its attributes in wire names. */
export interface ResourceRequest {
  readonly attributes: Json
  readonly relationships: Json
}

export interface ResourceRules {
  readonly type: string
  /** To-many relationships of the type: replacing one through the resource is refused with 403, as JSON:API 1.1 allows. */
  readonly toMany?: readonly string[]
  /** The path's id for PATCH (a different `data.id` is a 409); absent for POST, where any id is refused (403). */
  readonly id?: string
  /** Relationship names the body may carry. */
  readonly relationships?: readonly string[]
}

function only(object: Json, allowed: readonly string[], pointer: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new HttpError(400, `Unknown member: ${pointer}/${key}`, `${pointer}/${key}`)
  }
}

/** Checks a relationship or resource `type`: missing or not a string is a 400, another type a 409. */
export function checkType(data: Json, expected: readonly string[], pointer: string): void {
  if (typeof data['type'] !== 'string') throw new HttpError(400, `${pointer}/type is required`, `${pointer}/type`)
  if (!expected.includes(data['type'])) {
    throw new HttpError(409, `${pointer}/type must be "${expected[0]}", not "${data['type']}"`, `${pointer}/type`)
  }
}

/**
 * Reads a JSON:API request document for one resource (seed 002's body, or the full JSON:API one with
 * `data.id`). HttpError with a JSON pointer for every shape error: 400, or 409 for a wrong type or id.
 */
export function readResource(body: unknown, rules: ResourceRules): ResourceRequest {
  if (!isObject(body)) throw new HttpError(400, 'The request body must be a JSON:API document with data', '/data')
  only(body, ['data', 'meta', 'jsonapi'], '')
  const data = body['data']
  if (!isObject(data)) throw new HttpError(400, '/data must be a resource object', '/data')
  only(data, ['type', 'id', 'lid', 'attributes', 'relationships', 'meta', 'links'], '/data')
  checkType(data, [rules.type], '/data')
  if (data['id'] !== undefined) {
    // JSON:API ids are strings; anything else is refused before it is compared or printed.
    if (typeof data['id'] !== 'string') throw new HttpError(400, '/data/id must be a string', '/data/id')
    if (rules.id === undefined) throw new HttpError(403, 'Client-generated ids are not supported: leave out /data/id', '/data/id')
    if (data['id'] !== rules.id) throw new HttpError(409, `/data/id "${data['id']}" does not match the URL's id ${rules.id}`, '/data/id')
  }
  const attributes = data['attributes'] ?? {}
  if (!isObject(attributes)) throw new HttpError(400, '/data/attributes must be an object', '/data/attributes')
  const relationships = data['relationships'] ?? {}
  if (!isObject(relationships)) throw new HttpError(400, '/data/relationships must be an object', '/data/relationships')
  for (const name of rules.toMany ?? []) {
    if (Object.hasOwn(relationships, name)) {
      const pointer = `/data/relationships/${name}`
      throw new HttpError(403, `${name} cannot be replaced through the ${rules.type} resource: use its relationship link`, pointer)
    }
  }
  only(relationships, rules.relationships ?? [], '/data/relationships')
  return { attributes, relationships }
}

/**
 * Removes read-only attributes, which may be sent back unchanged: one equal to `current` is ignored,
 * any other value is refused with 403 (409 for `id`-like ones listed in `identity`).
 */
export function dropReadOnly(attributes: Json, current: Json | null, identity: readonly string[], readOnly: readonly string[]): Json {
  const out = { ...attributes }
  for (const name of [...identity, ...readOnly]) {
    if (!(name in out)) continue
    const value = out[name]
    delete out[name]
    if (current !== null && name in current && isScalar(value) && String(current[name]) === String(value)) continue
    const pointer = `/data/attributes/${name}`
    if (current !== null && identity.includes(name)) throw new HttpError(409, `${pointer} does not match the resource`, pointer)
    throw new HttpError(403, `${name} is assigned by the server and cannot be set`, pointer)
  }
  return out
}

/** Wire attribute names → the core's; a core spelling sent on the wire (`accountType`) is refused, so each has one name. */
export function toDomain(attributes: Json, renames: Renames, pointer: string): Json {
  const domainOnly = new Set(Object.entries(renames).filter(([wire, domain]) => wire !== domain).map(([, domain]) => domain))
  const out: Json = {}
  for (const [key, value] of Object.entries(attributes)) {
    if (domainOnly.has(key)) throw new HttpError(400, `Unknown attribute: ${key}`, `${pointer}/${key}`)
    out[renames[key] ?? key] = value
  }
  return out
}

/** The linkage array of a to-many relationship request: `{data: [{type, id}, …]}`. */
export function readLinkage(body: unknown, type: string): string[] {
  if (!isObject(body) || !Array.isArray(body['data'])) {
    throw new HttpError(400, `The request body must be {"data": [{"type": "${type}", "id": "…"}]}`, '/data')
  }
  only(body, ['data', 'meta', 'jsonapi'], '')
  return body['data'].map((item, i) => {
    const pointer = `/data/${i}`
    if (!isObject(item)) throw new HttpError(400, `${pointer} must be a resource identifier`, pointer)
    only(item, ['type', 'id', 'meta'], pointer)
    checkType(item, [type], pointer)
    if (typeof item['id'] !== 'string') throw new HttpError(400, `${pointer}/id must be a string`, `${pointer}/id`)
    return item['id']
  })
}
