import type Database from 'better-sqlite3'

// The SQL roster's account repository compiles for the benchmarked shapes (sqlite-account-repository.ts,
// sqlite-account-sql.ts), written out by hand: same columns, same predicates, same order, same count.
const COLUMNS = `"users"."id" as "user_id", "users"."tenant_id", "users"."number", "users"."email", "users"."first_name",
  "users"."last_name", "users"."name", "users"."account_type", "users"."auth_type", "users"."status", "users"."created_at",
  "users"."expires_at", coalesce(users.updated_at, users.created_at) as "updated_at"`
const WHERE = `users.account_type = ? and users.status = 'active' and users.created_at >= ?`
const ORDER = 'order by users.created_at desc, users.rowid desc'
const SQL = {
  first: `select ${COLUMNS} from "users" where users.tenant_id = ? and ${WHERE} ${ORDER} limit ?`,
  after: `select ${COLUMNS} from "users" where users.tenant_id = ? and ${WHERE}
    and users.created_at <= ? and ((users.created_at < ?) or (users.created_at = ? and users.number < ?)) ${ORDER} limit ?`,
  offset: `select ${COLUMNS} from "users" where users.rowid in (select users.rowid as "rid" from "users"
    where users.tenant_id = ? and ${WHERE} ${ORDER} limit ? offset ?) order by +users.created_at desc, +users.rowid desc`,
  count: `select count(*) as "total" from "users" where users.tenant_id = ? and ${WHERE}`,
} as const

type Row = { number: number }

/** The filter every IAM figure uses: accounts of one type, enabled, created since a day. */
export interface RawFilter {
  readonly tenantId: string
  readonly accountType: string
  readonly since: string
}

/** The raw better-sqlite3 side of the IAM suite: statements prepared once, one page plus one row, and the count. */
export function prepareRawAccounts(handle: Database.Database) {
  const s = Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, handle.prepare(sql)])) as Record<keyof typeof SQL, Database.Statement>
  const count = (f: RawFilter) => (s.count.get(f.tenantId, f.accountType, f.since) as { total: number }).total
  return {
    first: (f: RawFilter, size: number) => ({ rows: s.first.all(f.tenantId, f.accountType, f.since, size + 1) as Row[], total: count(f) }),
    after: (f: RawFilter, size: number, createdAt: string, number: number) => ({
      rows: s.after.all(f.tenantId, f.accountType, f.since, createdAt, createdAt, createdAt, number, size + 1) as Row[],
      total: count(f),
    }),
    offset: (f: RawFilter, size: number, offset: number) => ({ rows: s.offset.all(f.tenantId, f.accountType, f.since, size + 1, offset) as Row[], total: count(f) }),
  }
}

export type RawAccounts = ReturnType<typeof prepareRawAccounts>
