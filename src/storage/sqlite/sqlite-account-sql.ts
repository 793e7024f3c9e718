import { sql, type RawBuilder } from 'kysely'
import type { AccountCondition, AccountField, AccountQuery, SortKey } from '../../core/accounts/account-query.js'
import { param } from './prepared.js'
import { phraseOf } from './sqlite-search.js'

type Fragment = RawBuilder<unknown>
type Predicate = RawBuilder<boolean>

/** The SQL expression each account field reads; `updated_at` falls back to `created_at` as the IAM surface shows it. */
const EXPRESSIONS: Record<AccountField, Fragment> = {
  id: sql`users.number`,
  email: sql`users.email_lower`,
  accountType: sql`users.account_type`,
  authType: sql`users.auth_type`,
  createdAt: sql`users.created_at`,
  updatedAt: sql`coalesce(users.updated_at, users.created_at)`,
  expiresAt: sql`users.expires_at`,
  enabled: sql`(users.status = 'active')`,
  resetTokenHash: sql`users.password_reset_token_hash`,
  resetTokenExpiresAt: sql`users.password_reset_token_expires_at`,
}
const NULLABLE = new Set<AccountField>(['email', 'expiresAt', 'resetTokenHash', 'resetTokenExpiresAt'])

// Lists travel as one JSON argument, so a filter with 3 ids and one with 300 share a prepared statement.
const listOf = (name: string) => sql`(select value from json_each(${param(name)}))`

/** The ids of the tenant's roles / groups a `roles` / `groups` condition names (groups by id or name). */
const namedRoles = (name: string) => sql`(select roles.id from roles where roles.tenant_id = ${param('tenantId')} and roles.name in ${listOf(name)})`
const namedGroups = (name: string) => sql`(select groups.id from groups where groups.tenant_id = ${param('tenantId')}
  and (groups.id in ${listOf(name)} or groups.name in ${listOf(name)}))`

/**
 * How a `roles` or `groups` condition finds its rows. `probe`: the list walks the tenant's index in sort
 * order and asks, per row, whether the account holds one of the roles (a correlated EXISTS on the
 * membership's primary key), so a page stops once full. `members`: the rows come from the membership
 * index and are sorted, which wins when few accounts hold the role.
 */
export type MembershipAccess = 'probe' | 'members'

/** How each condition is run: which membership conditions start from their members, and whether the list starts from the search index. */
export interface ConditionModes {
  readonly members: ReadonlySet<'roles' | 'groups'>
  /** The trigram index drives the rows (joined as users_search); `match` keeps only its exact re-check. */
  readonly searchDriven: boolean
}

export const PROBE_ALL: ConditionModes = { members: new Set(), searchDriven: false }

/**
 * The trigram index's query for a `match` value (`*` = any run of characters): every piece of three or
 * more characters must occur in the email. Null when no piece is that long: then only a scan can match.
 */
export function searchOf(condition: AccountCondition): string | null {
  if (condition.op !== 'match') return null
  const pieces = condition.value.split('*').filter((piece) => [...piece].length >= 3)
  return pieces.length === 0 ? null : pieces.map((piece) => `email : ${phraseOf(piece)}`).join(' AND ')
}

/** The WHERE fragment of one condition; values bind to `name`. `enabled` is inlined so the status index applies. */
function conditionSql(condition: AccountCondition, name: string, modes: ConditionModes): Fragment {
  switch (condition.field) {
    case 'roles':
      return modes.members.has('roles')
        ? sql`users.id in (select user_roles.user_id from user_roles where user_roles.role_id in ${namedRoles(name)})`
        : sql`exists (select 1 from user_roles where user_roles.user_id = users.id and user_roles.role_id in ${namedRoles(name)})`
    case 'groups':
      return modes.members.has('groups')
        ? sql`users.id in (select group_memberships.user_id from group_memberships where group_memberships.group_id in ${namedGroups(name)})`
        : sql`exists (select 1 from group_memberships where group_memberships.user_id = users.id and group_memberships.group_id in ${namedGroups(name)})`
  }
  const column = EXPRESSIONS[condition.field]
  switch (condition.op) {
    case 'null': return sql`${column} is null`
    case 'in': return sql`${column} in ${listOf(name)}`
    case 'gte': return sql`${column} >= ${param(name)}`
    case 'lte': return sql`${column} <= ${param(name)}`
    case 'match': {
      // The LIKE is exact (order of the pieces, the `*`s); the index, when a piece is long enough, finds the candidates.
      const like = sql`${column} like ${param(name)} escape '\\'`
      if (searchOf(condition) === null) return like
      if (modes.searchDriven) return sql`users_search match ${param(`${name}s`)} and ${like}`
      return sql`users.rowid in (select rowid from users_search where users_search match ${param(`${name}s`)}) and ${like}`
    }
    case 'eq':
      if (condition.field === 'enabled') return condition.value ? sql`users.status = 'active'` : sql`users.status <> 'active'`
      return sql`${column} = ${param(name)}`
  }
}

/** The value a condition binds, in the form its SQL expects. */
function conditionValue(condition: AccountCondition): unknown {
  if (condition.op === 'null') return undefined
  if (condition.op === 'in') return JSON.stringify(condition.value)
  if (condition.op === 'match') return `%${condition.value.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%')}%`
  return condition.value
}

/** What decides a condition's SQL (not its value): field, operator, and how it is looked up. */
function conditionShape(condition: AccountCondition, modes: ConditionModes): string {
  const search = searchOf(condition)
  const access = (condition.field === 'roles' || condition.field === 'groups') && modes.members.has(condition.field) ? ':members' : ''
  return `${condition.field}:${condition.op}${condition.field === 'enabled' && condition.op === 'eq' ? `=${condition.value}` : ''}${search ? ':indexed' : ''}${access}`
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The shape of `conditions` (what decides their SQL) and each one's fragment and arguments. */
export function conditionsSql(conditions: readonly AccountCondition[], modes: ConditionModes = PROBE_ALL) {
  // One order per set of conditions, so the same filters given in another order reuse one statement.
  const ordered = conditions.map((condition) => ({ condition, shape: conditionShape(condition, modes) }))
    .sort((a, b) => compare(a.shape, b.shape))
  const parts = ordered.map(({ condition, shape }, i) => {
    const search = searchOf(condition)
    return {
      shape,
      fragment: conditionSql(condition, `c${i}`, modes) as Predicate,
      args: { [`c${i}`]: conditionValue(condition), ...(search && { [`c${i}s`]: search }) },
    }
  })
  const args: Record<string, unknown> = {}
  for (const part of parts) for (const [name, value] of Object.entries(part.args)) if (value !== undefined) args[name] = value
  return { shape: `${modes.searchDriven ? 'search|' : ''}${parts.map((p) => p.shape).join('&')}`, fragments: parts.map((p) => p.fragment), args }
}

/**
 * The expression the sort key at `position` orders by (the one its filters and indexes use). `id` after
 * another key orders by rowid: every list is one tenant's, and a tenant numbers its users in insertion
 * order while SQLite gives each inserted row a rowid above every existing one, so rowid order is id order.
 * Every index ends in the rowid, so an index on (tenant_id, field) yields "field, then id" unsorted. `id`
 * first orders by number, which (tenant_id, number) yields.
 */
export function sortExpression(key: SortKey, position: number): Fragment {
  if (key.field === 'id') return position === 0 ? sql`users.number` : sql`users.rowid`
  return EXPRESSIONS[key.field]
}

/**
 * The keyset predicate "strictly past the cursor row" in the order of `sort` (already flipped when
 * walking backwards). NULL counts as the smallest value, as SQLite orders it; a leading bound lets
 * the index seek instead of scanning from the start.
 */
export function keysetSql(sort: readonly SortKey[], values: readonly unknown[]) {
  const beyond = (key: SortKey, i: number): Fragment | null => {
    const column = EXPRESSIONS[key.field]
    const value = param(`k${i}`)
    if (values[i] === null) return key.descending ? null : sql`${column} is not null`
    if (key.descending) return NULLABLE.has(key.field) ? sql`(${column} < ${value} or ${column} is null)` : sql`${column} < ${value}`
    return sql`${column} > ${value}`
  }
  const same = (key: SortKey, i: number): Fragment =>
    values[i] === null ? sql`${EXPRESSIONS[key.field]} is null` : sql`${EXPRESSIONS[key.field]} = ${param(`k${i}`)}`
  const branches: Fragment[] = []
  sort.forEach((key, i) => {
    const step = beyond(key, i)
    if (step) branches.push(sql.join([...sort.slice(0, i).map(same), step], sql` and `))
  })
  const first = sort[0]!
  const lead = values[0] === null
    ? (first.descending ? sql`${EXPRESSIONS[first.field]} is null` : null)
    : first.descending && NULLABLE.has(first.field)
      ? null
      : sql`${EXPRESSIONS[first.field]} ${sql.raw(first.descending ? '<=' : '>=')} ${param('k0')}`
  const args: Record<string, unknown> = {}
  values.forEach((value, i) => { if (value !== null) args[`k${i}`] = value })
  const predicate = branches.length === 0 ? sql`0` : sql`(${sql.join(branches, sql` or `)})`
  return {
    shape: values.map((v) => (v === null ? 'n' : 'v')).join(''),
    fragment: (lead ? sql`${lead} and ${predicate}` : predicate) as Predicate,
    args,
  }
}

/** The query's sort with every direction flipped when walking backwards from a `before` cursor. */
export function effectiveSort(query: AccountQuery): readonly SortKey[] {
  if (query.cursor?.direction !== 'before') return query.sort
  return query.sort.map((key) => ({ ...key, descending: !key.descending }))
}
