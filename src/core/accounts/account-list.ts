import { ValidationError } from '../errors.js'
import type { TenantId, UserId } from '../ids.js'
import type { Repositories } from '../ports/store.js'
import type { Role } from '../roles/role.js'
import type { Tenant } from '../tenants/tenant.js'
import type { Account } from './account.js'
import { decodeCursor, encodeCursor } from './account-cursor.js'
import { parseAccountFilters } from './account-filters.js'
import {
  parseCount,
  parseInclude,
  parsePage,
  parseSort,
  type AccountInclude,
  type ListAccountsInput,
  type PageRequest,
} from './account-list-input.js'
import type { AccountQuery, SortKey } from './account-query.js'

/** Related resources loaded for the accounts of one answer. */
export interface AccountIncluded {
  /** What was asked for (`include`/`included`). */
  readonly include: ReadonlySet<AccountInclude>
  /** With `roles`: each account's roles by name; an account holding none is absent. */
  readonly roles?: ReadonlyMap<UserId, readonly Role[]>
  /** With `organization`: the tenant. */
  readonly organization?: Tenant
}

/** One page of accounts. Pass `nextCursor` as `page.after` (or `prevCursor` as `page.before`) to move at constant cost. */
export interface AccountPage {
  readonly accounts: readonly Account[]
  /** Every matching account, with `count: true`; else null. */
  readonly total: number | null
  readonly size: number
  /** The page number of a `page[number]` request; null for cursor requests. */
  readonly number: number | null
  /** The canonical sort, ending in `id` (or `-id`). */
  readonly sort: string
  readonly nextCursor: string | null
  readonly prevCursor: string | null
  readonly included: AccountIncluded
}

/** A validated list request: the repository query plus what assembling the page needs. */
export interface ListPlan {
  readonly query: AccountQuery | null
  readonly page: PageRequest
  readonly sortKeys: readonly SortKey[]
  readonly signature: string
  readonly count: boolean
  readonly include: ReadonlySet<AccountInclude>
}

/** Validates every parameter of `input` (ValidationError naming it) into a plan; `query` null when nothing can match. */
export function planAccountList(input: ListAccountsInput, tenantId: TenantId): ListPlan {
  const known = ['filter', 'sort', 'page', 'count', 'include']
  for (const key of Object.keys(input)) if (!known.includes(key)) throw unknownParameter(key)
  const conditions = parseAccountFilters(input.filter, tenantId)
  const { keys, signature } = parseSort(input.sort)
  const page = parsePage(input.page)
  const count = parseCount(input.count)
  const include = parseInclude(input.include)
  const cursorName = page.after !== undefined ? 'page[after]' : 'page[before]'
  const raw = page.after ?? page.before
  const cursor = raw === undefined ? undefined : {
    values: decodeCursor(raw, cursorName, signature, keys),
    direction: page.after !== undefined ? ('after' as const) : ('before' as const),
  }
  const offset = page.number === null ? 0 : (page.number - 1) * page.size
  const query = conditions && { conditions, sort: keys, limit: page.size + 1, offset, ...(cursor && { cursor }) }
  return { query, page, sortKeys: keys, signature, count, include }
}

/** Runs `plan` inside one read: the page, the count when asked, and the included resources. */
export async function runAccountList(r: Repositories, tenantId: TenantId, plan: ListPlan): Promise<AccountPage> {
  const { query, page, sortKeys, signature } = plan
  const rows = query ? await r.accounts.list(tenantId, query) : []
  const more = rows.length > page.size
  const backwards = page.before !== undefined
  // The extra row that tells there is more sits past the page: before it when walking backwards.
  const accounts = !more ? rows : backwards ? rows.slice(rows.length - page.size) : rows.slice(0, page.size)
  const first = accounts[0]
  const last = accounts[accounts.length - 1]
  const cursorOf = (account: Account | undefined) => (account ? encodeCursor(signature, account, sortKeys) : null)
  // Walking backwards, "more" means more rows before this page; the row after it always exists.
  const nextCursor = backwards || more ? cursorOf(last) : null
  const prevCursor = (backwards ? more : page.after !== undefined || (page.number ?? 1) > 1) ? cursorOf(first) : null
  return {
    accounts,
    total: plan.count ? (query ? await r.accounts.count(tenantId, query.conditions) : 0) : null,
    size: page.size,
    number: page.number,
    sort: signature,
    nextCursor,
    prevCursor,
    included: await loadIncluded(r, tenantId, accounts, plan.include),
  }
}

/** The related resources `include` asks for, for these accounts. */
export async function loadIncluded(
  r: Repositories,
  tenantId: TenantId,
  accounts: readonly Account[],
  include: ReadonlySet<AccountInclude>,
): Promise<AccountIncluded> {
  const roles = include.has('roles') && accounts.length > 0 ? await r.roles.forUsers(tenantId, accounts.map((a) => a.userId)) : undefined
  const organization = include.has('organization') && accounts.length > 0 ? await r.tenants.findById(tenantId) : null
  return { include, ...(include.has('roles') && { roles: roles ?? new Map() }), ...(organization && { organization }) }
}

function unknownParameter(key: string): ValidationError {
  return new ValidationError(key, `Unknown list parameter: ${key}`)
}
