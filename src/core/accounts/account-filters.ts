import { ValidationError } from '../errors.js'
import type { TenantId } from '../ids.js'
import { hashSecret } from '../secrets.js'
import type { AccountCondition, AccountField } from './account-query.js'
import { normalizeDateTime } from './datetime.js'

export const MAX_LIST_ITEMS = 1000
const MAX_TEXT = 255

type Parsed = AccountCondition | 'always' | 'never'
type FilterParser = (value: unknown, name: string, tenantId: TenantId) => Parsed

const fail = (name: string, rule: string): never => {
  throw new ValidationError(name, `${name} ${rule}`)
}
const isNull = (value: unknown) => value === null || value === 'null'

function integer(value: unknown, name: string): number {
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) fail(name, 'must be a positive integer')
  return number as number
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
    fail(name, `must be a non-empty string of at most ${MAX_TEXT} characters`)
  }
  return value as string
}

/** A list given as an array or as one comma-separated string. */
function list<T>(value: unknown, name: string, item: (v: unknown, name: string) => T): T[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : fail(name, 'must be a list')
  if (items.length === 0 || items.length > MAX_LIST_ITEMS) fail(name, `must list 1 to ${MAX_LIST_ITEMS} values`)
  return (items as unknown[]).map((v) => item(typeof v === 'string' ? v.trim() : v, name))
}

function dateTime(value: unknown, name: string): string {
  const iso = typeof value === 'string' ? normalizeDateTime(value.trim()) : null
  return iso ?? fail(name, 'must be an ISO 8601 date-time with a timezone, e.g. 2026-01-26T12:00:00Z')
}

function boolean(value: unknown, name: string): boolean {
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  return fail(name, 'must be true or false')
}

const eq = (field: AccountField, parse: (v: unknown, name: string) => string | number | boolean, nullable = false): FilterParser =>
  (value, name) => (nullable && isNull(value) ? { field, op: 'null' } : { field, op: 'eq', value: parse(value, name) })

const lowerText = (value: unknown, name: string) => text(value, name).toLowerCase()

/** Every `filter[…]` of seed 002, each with its operator. */
export const ACCOUNT_FILTERS: Readonly<Record<string, FilterParser>> = {
  id: eq('id', integer),
  person_id: eq('id', integer),
  id__in: (value, name) => ({ field: 'id', op: 'in', value: list(value, name, integer) }),
  email: eq('email', lowerText, true),
  email__match: (value, name) => ({ field: 'email', op: 'match', value: lowerText(value, name) }),
  account_type: eq('accountType', text),
  account_type__in: (value, name) => ({ field: 'accountType', op: 'in', value: list(value, name, text) }),
  auth_type: eq('authType', text),
  enabled: eq('enabled', boolean),
  created_at: eq('createdAt', dateTime),
  created_at__gte: (value, name) => ({ field: 'createdAt', op: 'gte', value: dateTime(value, name) }),
  created_at__lte: (value, name) => ({ field: 'createdAt', op: 'lte', value: dateTime(value, name) }),
  updated_at: eq('updatedAt', dateTime),
  expires_at: eq('expiresAt', dateTime, true),
  expires_at__gte: (value, name) => ({ field: 'expiresAt', op: 'gte', value: dateTime(value, name) }),
  expires_at__lte: (value, name) => ({ field: 'expiresAt', op: 'lte', value: dateTime(value, name) }),
  // Only the hash is stored, so the token is hashed the way it was when issued.
  password_reset_token: eq('resetTokenHash', (value, name) => hashSecret(text(value, name)), true),
  password_reset_token_expires_at: eq('resetTokenExpiresAt', dateTime, true),
  // The organization is the tenant: its own id filters nothing, any other id matches no account.
  organization_id: (value, name, tenantId) => (text(value, name) === tenantId ? 'always' : 'never'),
  role_name: (value, name) => ({ field: 'roles', op: 'in', value: list(value, name, text) }),
  ou_accounts: (value, name) => ({ field: 'groups', op: 'in', value: list(value, name, text) }),
}

/**
 * The conditions a `filter` object stands for, or null when it can match no account. Throws
 * ValidationError naming `filter[key]` for an unknown key or a malformed value.
 */
export function parseAccountFilters(filter: unknown, tenantId: TenantId): AccountCondition[] | null {
  if (filter === undefined || filter === null) return []
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new ValidationError('filter', 'filter must be an object of filter[field]=value')
  const conditions: AccountCondition[] = []
  let impossible = false
  for (const [key, value] of Object.entries(filter)) {
    const name = `filter[${key}]`
    const parse = Object.hasOwn(ACCOUNT_FILTERS, key) ? ACCOUNT_FILTERS[key] : undefined
    if (!parse) throw new ValidationError(name, `Unknown filter: ${name}`)
    if (value === undefined) continue
    const parsed = parse(value, name, tenantId)
    if (parsed === 'never') impossible = true
    else if (parsed !== 'always') conditions.push(parsed)
  }
  return impossible ? null : conditions
}
