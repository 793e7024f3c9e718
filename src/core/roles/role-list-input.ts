import { ValidationError } from '../errors.js'
import type { RoleListQuery } from './role.js'

export const DEFAULT_ROLE_PAGE_SIZE = 1000
export const MAX_ROLE_PAGE_SIZE = 1000

/** A role list request: `filter[name]`, `filter[name__match]`, `sort` over name/created_at/updated_at, offset pages. */
export interface ListRolesInput {
  readonly filter?: Readonly<Record<string, unknown>>
  readonly sort?: string
  readonly page?: { readonly number?: number | string; readonly size?: number | string }
  readonly count?: boolean | string
}

const SORT = { name: 'name', created_at: 'createdAt', updated_at: 'updatedAt' } as const

function positive(value: unknown, name: string): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new ValidationError(name, `${name} must be a positive integer`)
  return n
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    throw new ValidationError(name, `${name} must be a non-empty string of at most 255 characters`)
  }
  return value
}

/** The repository query for `input`, with page size capped; ValidationError naming the parameter otherwise. */
export function parseRoleList(input: ListRolesInput): { query: RoleListQuery; number: number; size: number; count: boolean } {
  const filter: Record<string, unknown> = input.filter ?? {}
  for (const key of Object.keys(filter)) {
    if (key !== 'name' && key !== 'name__match') throw new ValidationError(`filter[${key}]`, `Unknown filter: filter[${key}]`)
  }
  const page: Record<string, unknown> = input.page ?? {}
  for (const key of Object.keys(page)) {
    if (key !== 'number' && key !== 'size') throw new ValidationError(`page[${key}]`, `Unknown page parameter: page[${key}]`)
  }
  const size = page['size'] === undefined ? DEFAULT_ROLE_PAGE_SIZE : Math.min(positive(page['size'], 'page[size]'), MAX_ROLE_PAGE_SIZE)
  const number = page['number'] === undefined ? 1 : positive(page['number'], 'page[number]')
  const sort: { field: 'name' | 'createdAt' | 'updatedAt'; descending: boolean }[] = []
  for (const part of (input.sort ?? 'name').split(',')) {
    const name = part.trim().replace(/^-/, '')
    const field = Object.hasOwn(SORT, name) ? SORT[name as keyof typeof SORT] : undefined
    if (!field || sort.some((s) => s.field === field)) throw new ValidationError('sort', `sort cannot use "${part.trim()}": sort by name, created_at, updated_at`)
    sort.push({ field, descending: part.trim().startsWith('-') })
  }
  const { count } = input
  if (count !== undefined && !([true, false, 'true', 'false'] as unknown[]).includes(count)) throw new ValidationError('count', 'count must be true or false')
  return {
    query: {
      ...(filter['name'] !== undefined && { name: text(filter['name'], 'filter[name]') }),
      ...(filter['name__match'] !== undefined && { nameMatch: text(filter['name__match'], 'filter[name__match]').toLowerCase() }),
      sort,
      limit: size,
      offset: (number - 1) * size,
    },
    number,
    size,
    count: count === true || count === 'true',
  }
}
