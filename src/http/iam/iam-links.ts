import type { AccountPage } from '../../core/accounts/account-list.js'
import type { RolePage } from '../../core/roles/roles-service.js'

const PAGE_POSITION = ['page[number]', 'page[after]', 'page[before]']

/** The request's own URL with its page position replaced by `position` (page[size], filters and the rest kept). */
function at(url: URL, position: Record<string, string | number> = {}): string {
  const params = new URLSearchParams(url.searchParams)
  for (const name of PAGE_POSITION) params.delete(name)
  for (const [name, value] of Object.entries(position)) params.set(name, String(value))
  const query = params.toString()
  return query ? `${url.pathname}?${query}` : url.pathname
}

/** The request's own URL, its query encoded the way the other links are (`filter%5Bemail%5D=…`). */
function self(url: URL): string {
  const query = url.searchParams.toString()
  return query ? `${url.pathname}?${query}` : url.pathname
}

const lastNumber = (total: number, size: number) => Math.max(1, Math.ceil(total / size))

/**
 * Pagination links of an account list. `next` is always a keyset cursor, so walking a list by its
 * next links costs the same at any depth; `last` needs `count=true` and is null without it.
 */
export function accountListLinks(url: URL, page: AccountPage) {
  const prev = page.number !== null
    ? (page.number > 1 ? at(url, { 'page[number]': page.number - 1 }) : null)
    : (page.prevCursor ? at(url, { 'page[before]': page.prevCursor }) : null)
  return {
    self: self(url),
    first: at(url),
    prev,
    next: page.nextCursor ? at(url, { 'page[after]': page.nextCursor }) : null,
    last: page.total === null ? null : at(url, { 'page[number]': lastNumber(page.total, page.size) }),
  }
}

/** Pagination links of a role list (offset pages: a tenant's roles are few). */
export function roleListLinks(url: URL, page: RolePage) {
  return {
    self: self(url),
    first: at(url),
    prev: page.number > 1 ? at(url, { 'page[number]': page.number - 1 }) : null,
    next: page.hasNext ? at(url, { 'page[number]': page.number + 1 }) : null,
    last: page.total === null ? null : at(url, { 'page[number]': lastNumber(page.total, page.size) }),
  }
}

/** `meta` of a list: the total when counted, and the page's size and number. */
export function listMeta(page: { total: number | null; size: number; number: number | null }) {
  return { ...(page.total !== null && { total: page.total }), page: { size: page.size, ...(page.number !== null && { number: page.number }) } }
}
