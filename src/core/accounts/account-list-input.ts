import { ValidationError } from '../errors.js'
import type { SortKey, SortableField } from './account-query.js'

export const DEFAULT_PAGE_SIZE = 1000
export const MAX_PAGE_SIZE = 1000
export const ACCOUNT_INCLUDES = ['roles', 'person', 'organization'] as const
export type AccountInclude = (typeof ACCOUNT_INCLUDES)[number]

/** What a caller may ask of an account list: the seed's parameters, values typed or as query-string text. */
export interface ListAccountsInput {
  /** `filter[field]` → value; see ACCOUNT_FILTERS. Lists are arrays or comma-separated text. */
  readonly filter?: Readonly<Record<string, unknown>> | undefined
  /** Comma-separated fields, `-` for descending, e.g. `-created_at,email`. Default `id`. */
  readonly sort?: string | undefined
  /** `number` (from 1) jumps by offset; `after`/`before` take a cursor from a previous page and seek. */
  readonly page?: { readonly number?: number | string | undefined; readonly size?: number | string | undefined; readonly after?: string | undefined; readonly before?: string | undefined } | undefined
  /** Also count every matching account. */
  readonly count?: boolean | string | undefined
  readonly include?: readonly string[] | string | undefined
}

/** Sort field names of the seed → domain fields. `person_id` is the account number, like `id`. */
const SORT_FIELDS: Readonly<Record<string, SortableField>> = {
  id: 'id', person_id: 'id', email: 'email', account_type: 'accountType', auth_type: 'authType',
  created_at: 'createdAt', updated_at: 'updatedAt', expires_at: 'expiresAt', enabled: 'enabled',
}

/** The sort keys for `sort`, ending with `id` (in the last key's direction) so the order is total; ValidationError naming `sort` otherwise. */
export function parseSort(sort: unknown): { keys: SortKey[]; signature: string } {
  if (sort === undefined || sort === '') return { keys: [{ field: 'id', descending: false }], signature: 'id' }
  if (typeof sort !== 'string') throw new ValidationError('sort', 'sort must be a comma-separated list of fields')
  const keys: SortKey[] = []
  for (const part of sort.split(',')) {
    const name = part.trim().replace(/^-/, '')
    const field = Object.hasOwn(SORT_FIELDS, name) ? SORT_FIELDS[name] : undefined
    if (!field) throw new ValidationError('sort', `sort cannot use "${part.trim()}": sort by ${Object.keys(SORT_FIELDS).join(', ')}`)
    if (keys.some((key) => key.field === field)) throw new ValidationError('sort', `sort lists ${name} twice`)
    keys.push({ field, descending: part.trim().startsWith('-') })
  }
  // Nothing after the unique id can change the order. Ties fall to id in the direction of the last key:
  // an index on the field holds exactly that order either way round, so a page never sorts a group of ties.
  const id = keys.findIndex((key) => key.field === 'id')
  const total = id === -1 ? [...keys, { field: 'id' as const, descending: keys.at(-1)!.descending }] : keys.slice(0, id + 1)
  return { keys: total, signature: total.map((k) => (k.descending ? '-' : '') + k.field).join(',') }
}

function pageInteger(value: unknown, name: string): number {
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw new ValidationError(name, `${name} must be a positive integer`)
  }
  return number
}

export interface PageRequest {
  readonly size: number
  readonly number: number | null
  readonly after?: string | undefined
  readonly before?: string | undefined
}

/** The page asked for; page[size] above the maximum is capped, page[number] cannot be mixed with a cursor. */
export function parsePage(page: ListAccountsInput['page']): PageRequest {
  if (page === undefined) return { size: DEFAULT_PAGE_SIZE, number: 1 }
  if (typeof page !== 'object' || page === null) throw new ValidationError('page', 'page must be an object')
  for (const key of Object.keys(page)) {
    if (!['number', 'size', 'after', 'before'].includes(key)) throw new ValidationError(`page[${key}]`, `Unknown page parameter: page[${key}]`)
  }
  const size = page.size === undefined ? DEFAULT_PAGE_SIZE : Math.min(pageInteger(page.size, 'page[size]'), MAX_PAGE_SIZE)
  const cursors = [page.after, page.before].filter((c) => c !== undefined).length
  if (cursors === 2) throw new ValidationError('page[before]', 'page[after] and page[before] cannot be combined')
  if (cursors === 1 && page.number !== undefined) {
    throw new ValidationError('page[number]', 'page[number] cannot be combined with a page[after] or page[before] cursor')
  }
  if (cursors === 1) return { size, number: null, after: page.after, before: page.before }
  return { size, number: page.number === undefined ? 1 : pageInteger(page.number, 'page[number]') }
}

/** `count` as a boolean; ValidationError naming `count` for anything but true/false. */
export function parseCount(count: unknown): boolean {
  if (count === undefined || count === false || count === 'false') return false
  if (count === true || count === 'true') return true
  throw new ValidationError('count', 'count must be true or false')
}

/** The related resources asked for; ValidationError naming `include` for anything else. */
export function parseInclude(include: unknown): Set<AccountInclude> {
  if (include === undefined) return new Set()
  const items = typeof include === 'string' ? include.split(',') : Array.isArray(include) ? include : null
  if (!items) throw new ValidationError('include', 'include must be a list of roles, person, organization')
  const out = new Set<AccountInclude>()
  for (const item of items) {
    const name = typeof item === 'string' ? item.trim() : item
    if (name === '') continue
    if (!(ACCOUNT_INCLUDES as readonly unknown[]).includes(name)) {
      throw new ValidationError('include', `include cannot name "${String(name)}": choose from ${ACCOUNT_INCLUDES.join(', ')}`)
    }
    out.add(name as AccountInclude)
  }
  return out
}
