import { sql, type RawBuilder } from 'kysely'
import type { AccountCondition, AccountField, AccountQuery, SortKey } from '../../core/accounts/account-query.js'
import { param } from '../query-param.js'

/*
 * The IAM account filters and keyset paging of sqlite-account-sql.ts in PostgreSQL's words. The
 * differences: lists travel as arrays, `enabled` is 1/0 (as cursors carry it), NULL sorts first
 * ascending and last descending as in SQLite (explicit NULLS FIRST/LAST), `match` is an ILIKE (ASCII
 * folding, as SQLite's LIKE) that the pg_trgm index on email_lower serves, and the planner picks how
 * a role or group condition is run, from its statistics.
 */

type Fragment = RawBuilder<unknown>
type Predicate = RawBuilder<boolean>

const EXPRESSIONS: Record<AccountField, Fragment> = {
  id: sql`users.number`,
  email: sql`users.email_lower`,
  accountType: sql`users.account_type`,
  authType: sql`users.auth_type`,
  createdAt: sql`users.created_at`,
  updatedAt: sql`coalesce(users.updated_at, users.created_at)`,
  expiresAt: sql`users.expires_at`,
  enabled: sql`(users.status = 'active')::int`,
  resetTokenHash: sql`users.password_reset_token_hash`,
  resetTokenExpiresAt: sql`users.password_reset_token_expires_at`,
}
const NULLABLE = new Set<AccountField>(['email', 'expiresAt', 'resetTokenHash', 'resetTokenExpiresAt'])

const namedRoles = (name: string) => sql`(select roles.id from roles where roles.tenant_id = ${param('tenantId')} and roles.name = any(${param(name)}::text[]))`
const namedGroups = (name: string) => sql`(select groups.id from groups where groups.tenant_id = ${param('tenantId')}
  and (groups.id = any(${param(name)}::text[]) or groups.name = any(${param(name)}::text[])))`

function conditionSql(condition: AccountCondition, name: string): Fragment {
  switch (condition.field) {
    case 'roles':
      return sql`exists (select 1 from user_roles where user_roles.user_id = users.id and user_roles.role_id in ${namedRoles(name)})`
    case 'groups':
      return sql`exists (select 1 from group_memberships where group_memberships.user_id = users.id and group_memberships.group_id in ${namedGroups(name)})`
  }
  const column = EXPRESSIONS[condition.field]
  switch (condition.op) {
    case 'null': return sql`${column} is null`
    case 'in': return condition.field === 'id' ? sql`${column} = any(${param(name)}::int[])` : sql`${column} = any(${param(name)}::text[])`
    case 'gte': return sql`${column} >= ${param(name)}`
    case 'lte': return sql`${column} <= ${param(name)}`
    case 'match': return sql`${column} ilike ${param(name)} escape '\\'`
    case 'eq':
      if (condition.field === 'enabled') return condition.value ? sql`users.status = 'active'` : sql`users.status <> 'active'`
      return sql`${column} = ${param(name)}`
  }
}

function conditionValue(condition: AccountCondition): unknown {
  if (condition.op === 'null') return undefined
  if (condition.op === 'in') {
    // An id that is not a whole number names no account, as it finds none on SQLite.
    return condition.field === 'id' ? condition.value.map(Number).filter(Number.isSafeInteger) : condition.value.map(String)
  }
  if (condition.op === 'match') return `%${condition.value.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%')}%`
  return condition.value
}

const conditionShape = (c: AccountCondition) => `${c.field}:${c.op}${c.field === 'enabled' && c.op === 'eq' ? `=${c.value}` : ''}`
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The shape of `conditions` (what decides their SQL) and each one's fragment and arguments. */
export function conditionsSql(conditions: readonly AccountCondition[]) {
  const ordered = conditions.map((condition) => ({ condition, shape: conditionShape(condition) })).sort((a, b) => compare(a.shape, b.shape))
  const args: Record<string, unknown> = {}
  const fragments = ordered.map(({ condition }, i) => {
    const value = conditionValue(condition)
    if (value !== undefined) args[`c${i}`] = value
    return conditionSql(condition, `c${i}`) as Predicate
  })
  return { shape: ordered.map((o) => o.shape).join('&'), fragments, args }
}

/** The expression the sort key orders by; `id` is the per-tenant number, which is insertion order. */
export function sortExpression(key: SortKey): Fragment {
  return EXPRESSIONS[key.field]
}

/** The keyset predicate "strictly past the cursor row" in the order of `sort`; NULL counts as the smallest value. */
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
  const args: Record<string, unknown> = {}
  values.forEach((value, i) => { if (value !== null) args[`k${i}`] = value })
  return {
    shape: values.map((v) => (v === null ? 'n' : 'v')).join(''),
    fragment: (branches.length === 0 ? sql`false` : sql`(${sql.join(branches, sql` or `)})`) as Predicate,
    args,
  }
}

/** The query's sort with every direction flipped when walking backwards from a `before` cursor. */
export function effectiveSort(query: AccountQuery): readonly SortKey[] {
  if (query.cursor?.direction !== 'before') return query.sort
  return query.sort.map((key) => ({ ...key, descending: !key.descending }))
}
