import { ACCOUNT_INCLUDES } from '../../core/accounts/account-list-input.js'
import { HttpError } from '../http-error.js'
import { RESOURCE_FIELDS, type ResourceType } from './iam-document.js'

/** Top-level query parameters a route accepts. */
export type IamParameter = 'filter' | 'page' | 'sort' | 'count' | 'include' | 'fields'

/** `fields[type]` → the attribute and relationship names to keep. */
export type Fieldsets = ReadonlyMap<ResourceType, ReadonlySet<string>>

export interface IamQuery {
  readonly filter?: Record<string, string>
  readonly page?: Record<string, string>
  readonly sort?: string
  readonly count?: string
  /** From `include` or seed 002's `included`, as a list or comma-separated. */
  readonly include?: string[]
  readonly fields: Fieldsets
}

// `name`, `name[key]` or `name[key][]` (the array spelling of seed 002's `included` and `fields`).
const PARAMETER = /^([a-z_]+)(?:\[([^\][]+)\])?(\[\])?$/

/** A query parameter the surface refuses; the error document names it in `source.parameter`. */
export class QueryParameterError extends HttpError {
  constructor(readonly parameter: string, detail: string) {
    super(400, detail, parameter)
  }
}

const bad = (parameter: string, detail: string) => new QueryParameterError(parameter, detail)

/**
 * Reads JSON:API query parameters. Anything the route does not accept, a repeated scalar, an unknown
 * include, resource type or field is an HttpError 400 whose field is the parameter's name.
 */
export function readIamQuery(url: URL, accepted: readonly IamParameter[]): IamQuery {
  const filter: Record<string, string> = {}
  const page: Record<string, string> = {}
  const include: string[] = []
  const fields = new Map<ResourceType, Set<string>>()
  let sort: string | undefined
  let count: string | undefined
  const seen = new Set<string>()
  for (const [name, value] of url.searchParams) {
    const match = PARAMETER.exec(name)
    const base = match?.[1] === 'included' ? 'include' : match?.[1]
    const key = match?.[2]
    const list = match?.[3] !== undefined
    if (!match || !accepted.includes(base as IamParameter) || (key !== undefined) !== ['filter', 'page', 'fields'].includes(base!)) {
      throw bad(name, `Unknown query parameter: ${name}`)
    }
    if (list && base !== 'include' && base !== 'fields') throw bad(name, `Unknown query parameter: ${name}`)
    if (!list && seen.has(name)) throw bad(name, `Query parameter ${name} must be given once`)
    seen.add(name)
    if (base === 'filter') filter[key!] = value
    else if (base === 'page') page[key!] = value
    else if (base === 'sort') sort = value
    else if (base === 'count') count = value
    else if (base === 'include') include.push(...includeNames(value, name))
    else fields.set(...fieldset(key!, value, name, fields))
  }
  return {
    ...(Object.keys(filter).length > 0 && { filter }),
    ...(Object.keys(page).length > 0 && { page }),
    ...(sort !== undefined && { sort }),
    ...(count !== undefined && { count }),
    ...(seen.has('include') || seen.has('included') || seen.has('include[]') || seen.has('included[]') ? { include } : {}),
    fields,
  }
}

function includeNames(value: string, parameter: string): string[] {
  const names = value.split(',').map((n) => n.trim()).filter(Boolean)
  for (const name of names) {
    if (!(ACCOUNT_INCLUDES as readonly string[]).includes(name)) {
      throw bad(parameter, `${parameter} cannot name "${name}": choose from ${ACCOUNT_INCLUDES.join(', ')}`)
    }
  }
  return names
}

function fieldset(type: string, value: string, parameter: string, fields: Map<ResourceType, Set<string>>): [ResourceType, Set<string>] {
  if (!Object.hasOwn(RESOURCE_FIELDS, type)) {
    throw bad(parameter, `${parameter} names no resource type: use ${Object.keys(RESOURCE_FIELDS).join(', ')}`)
  }
  const known: readonly string[] = RESOURCE_FIELDS[type as ResourceType]
  const names = fields.get(type as ResourceType) ?? new Set<string>()
  for (const name of value.split(',').map((n) => n.trim()).filter(Boolean)) {
    if (!known.includes(name)) throw bad(parameter, `${parameter} cannot name "${name}": ${type} have ${known.join(', ')}`)
    names.add(name)
  }
  return [type as ResourceType, names]
}
