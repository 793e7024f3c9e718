import { sql, type RawBuilder } from 'kysely'
import type { AccountCondition, AccountField, AccountQuery, SortKey } from '../../core/accounts/account-query.js'
import { param } from './prepared.js'

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

/** The WHERE fragment of one condition; values bind to `name`. `enabled` is inlined so the status index applies. */
function conditionSql(condition: AccountCondition, name: string): Fragment {
  switch (condition.field) {
    case 'roles':
      return sql`users.id in (select user_roles.user_id from user_roles join roles on roles.id = user_roles.role_id
        where roles.tenant_id = ${param('tenantId')} and roles.name in ${listOf(name)})`
    case 'groups':
      return sql`users.id in (select group_memberships.user_id from group_memberships
        join groups on groups.id = group_memberships.group_id
        where groups.tenant_id = ${param('tenantId')} and (groups.id in ${listOf(name)} or groups.name in ${listOf(name)}))`
  }
  const column = EXPRESSIONS[condition.field]
  switch (condition.op) {
    case 'null': return sql`${column} is null`
    case 'in': return sql`${column} in ${listOf(name)}`
    case 'gte': return sql`${column} >= ${param(name)}`
    case 'lte': return sql`${column} <= ${param(name)}`
    case 'match': return sql`${column} like ${param(name)} escape '\\'`
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

/** What decides a condition's SQL (not its value). */
function conditionShape(condition: AccountCondition): string {
  return `${condition.field}:${condition.op}${condition.field === 'enabled' && condition.op === 'eq' ? `=${condition.value}` : ''}`
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The shape of `conditions` (what decides their SQL) and each one's fragment and argument. */
export function conditionsSql(conditions: readonly AccountCondition[]) {
  // One order per set of conditions, so the same filters given in another order reuse one statement.
  const ordered = [...conditions].sort((a, b) => compare(conditionShape(a), conditionShape(b)))
  const parts = ordered.map((condition, i) => ({
    shape: conditionShape(condition),
    fragment: conditionSql(condition, `c${i}`) as Predicate,
    name: `c${i}`,
    value: conditionValue(condition),
  }))
  const args: Record<string, unknown> = {}
  for (const part of parts) if (part.value !== undefined) args[part.name] = part.value
  return { shape: parts.map((p) => p.shape).join('&'), fragments: parts.map((p) => p.fragment), args }
}

/** The expression a sort key orders by (the same one its filters and indexes use). */
export function sortExpression(key: SortKey): Fragment {
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
