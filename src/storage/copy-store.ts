import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { PostgresPool, PostgresPoolClient } from './postgres/pg-pool.js'

/**
 * What moving an SQLite store to PostgreSQL copies, parents before children. Only facts: what triggers
 * keep (user_counts, roles.holders, groups.members, usage_daily, usage_monthly) is rebuilt by the
 * target's own triggers as the rows arrive, and the users_search index by PostgreSQL's indexes.
 */
const TABLES: readonly { name: string; columns: readonly string[]; key: readonly string[]; json?: readonly string[] }[] = [
  { name: 'tenants', columns: ['id', 'name', 'owner_user_id', 'next_user_number', 'created_at'], key: ['id'] },
  { name: 'installation', columns: ['id', 'bootstrap_key_hash', 'updated_at'], key: ['id'] },
  { name: 'admin_keys', columns: ['id', 'tenant_id', 'name', 'secret_hash', 'prefix', 'permissions', 'created_at', 'revoked_at'], key: ['id'] },
  {
    name: 'users',
    columns: ['id', 'tenant_id', 'number', 'external_id', 'name', 'first_name', 'last_name', 'email', 'email_lower', 'metadata', 'status',
      'suspended_reason', 'billing_plan', 'account_type', 'auth_type', 'expires_at', 'created_at', 'updated_at', 'admin_key_id',
      'password_hash', 'password_reset_token_hash', 'password_reset_token_expires_at', 'version'],
    key: ['id'],
    json: ['metadata'],
  },
  { name: 'groups', columns: ['id', 'tenant_id', 'name', 'created_at', 'updated_at', 'version'], key: ['id'] },
  { name: 'group_memberships', columns: ['tenant_id', 'group_id', 'user_id', 'created_at'], key: ['group_id', 'user_id'] },
  { name: 'roles', columns: ['id', 'tenant_id', 'name', 'description', 'created_at', 'updated_at', 'version'], key: ['id'] },
  { name: 'user_roles', columns: ['tenant_id', 'user_id', 'role_id', 'created_at'], key: ['user_id', 'role_id'] },
  {
    name: 'credentials',
    columns: ['id', 'tenant_id', 'user_id', 'name', 'secret_hash', 'prefix', 'created_at', 'expires_at', 'revoked_at', 'created_by_key_id'],
    key: ['id'],
  },
  { name: 'usage_hourly', columns: ['hour', 'tenant_id', 'user_id', 'credential_id', 'requests', 'units', 'last_used_at'], key: ['hour', 'tenant_id', 'user_id', 'credential_id'] },
  {
    name: 'mfa_totp_factors',
    columns: ['id', 'tenant_id', 'user_id', 'secret', 'secret_key_id', 'status', 'last_used_step', 'created_at', 'confirmed_at'],
    key: ['id'],
  },
  { name: 'mfa_recovery_codes', columns: ['tenant_id', 'user_id', 'code_hash', 'salt', 'created_at', 'used_at'], key: ['user_id', 'code_hash'] },
  { name: 'auth_attempts', columns: ['tenant_id', 'user_id', 'kind', 'failures', 'locked_until', 'updated_at'], key: ['user_id', 'kind'] },
  {
    name: 'audit_entries',
    columns: ['tenant_id', 'at', 'id', 'actor', 'actor_type', 'surface', 'request_id', 'action', 'target_type', 'target_id', 'changes'],
    key: ['tenant_id', 'at', 'id'],
  },
  {
    name: 'idempotency_keys',
    columns: ['tenant_id', 'actor', 'key_hash', 'request_hash', 'response', 'locked_until', 'expires_at', 'created_at'],
    key: ['tenant_id', 'actor', 'key_hash'],
  },
]

/** Rows per INSERT: one JSON argument each, so the batch size is bound by memory, not by parameter counts. */
const BATCH = 5000

export interface TableCopy {
  readonly table: string
  readonly rows: number
  /** SHA-256 over every row in key order, the same on both sides. */
  readonly checksum: string
}

export class CopyRefusedError extends Error {}

/**
 * Copies every table of the SQLite database `source` into the empty, migrated PostgreSQL database of
 * `target`, in one transaction (a failure leaves the target empty, so the copy can simply run again),
 * then checks that each table has the same rows on both sides: count and checksum. `onProgress` hears
 * each batch. Refuses (CopyRefusedError) a target that holds any row.
 */
export async function copySqliteToPostgres(
  source: Database.Database,
  target: PostgresPool,
  onProgress: (table: string, copied: number, total: number) => void,
): Promise<TableCopy[]> {
  const client = await target.connect()
  try {
    for (const { name } of TABLES) {
      const { rows } = await client.query({ text: `select exists (select 1 from ${name}) as held` })
      if (rows[0].held) throw new CopyRefusedError(`the target database is not empty: ${name} has rows. Copy into a new, empty database.`)
    }
    // One snapshot of the source for the whole copy, however long it takes.
    source.exec('begin')
    try {
      await client.query({ text: 'begin' })
      try {
        for (const table of TABLES) await copyTable(source, client, table, onProgress)
        await client.query({ text: 'commit' })
        // Statistics for the planner now, rather than whenever autovacuum gets to the new rows.
        await client.query({ text: 'analyze' })
      } catch (error) {
        await client.query({ text: 'rollback' }).catch(() => {})
        throw error
      }
      const copies: TableCopy[] = []
      for (const table of TABLES) {
        const [from, to] = [sqliteDigest(source, table), await postgresDigest(client, table)]
        if (from.rows !== to.rows || from.checksum !== to.checksum) {
          throw new Error(`${table.name} differs after the copy: ${from.rows} rows (${from.checksum}) in SQLite, ${to.rows} (${to.checksum}) in PostgreSQL`)
        }
        copies.push({ table: table.name, ...from })
      }
      return copies
    } finally {
      source.exec('rollback')
    }
  } finally {
    client.release()
  }
}

async function copyTable(source: Database.Database, client: PostgresPoolClient, table: (typeof TABLES)[number], onProgress: (table: string, copied: number, total: number) => void) {
  const total = (source.prepare(`select count(*) as n from ${table.name}`).get() as { n: number }).n
  const insert = `insert into ${table.name} (${table.columns.join(', ')})
    select ${table.columns.join(', ')} from json_populate_recordset(null::${table.name}, $1::json)`
  let batch: Record<string, unknown>[] = []
  let copied = 0
  const flush = async () => {
    await client.query({ text: insert, values: [JSON.stringify(batch)] })
    copied += batch.length
    batch = []
    onProgress(table.name, copied, total)
  }
  onProgress(table.name, 0, total)
  for (const row of source.prepare(`select ${table.columns.join(', ')} from ${table.name}`).iterate() as Iterable<Record<string, unknown>>) {
    for (const column of table.json ?? []) row[column] = JSON.parse(row[column] as string)
    batch.push(row)
    if (batch.length >= BATCH) await flush()
  }
  if (batch.length > 0) await flush()
}

/** One value as both sides spell it: text, numbers as decimal text (PostgreSQL sends bigint as text), JSON with sorted keys. */
function canonical(value: unknown, json: boolean): string | null {
  if (value === null || value === undefined) return null
  if (json) return JSON.stringify(sortKeys(typeof value === 'string' ? JSON.parse(value) : value))
  return String(value)
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]))
  }
  return value
}

function digest(rows: Iterable<Record<string, unknown>>, table: (typeof TABLES)[number]): { rows: number; checksum: string } {
  const hash = createHash('sha256')
  let count = 0
  for (const row of rows) {
    hash.update(JSON.stringify(table.columns.map((column) => canonical(row[column], table.json?.includes(column) ?? false))))
    hash.update('\n')
    count++
  }
  return { rows: count, checksum: hash.digest('hex') }
}

// Both sides order by the key byte by byte: SQLite's BINARY collation, PostgreSQL's "C" columns.
function sqliteDigest(source: Database.Database, table: (typeof TABLES)[number]) {
  const rows = source.prepare(`select ${table.columns.join(', ')} from ${table.name} order by ${table.key.join(', ')}`).iterate()
  return digest(rows as Iterable<Record<string, unknown>>, table)
}

async function postgresDigest(client: PostgresPoolClient, table: (typeof TABLES)[number]) {
  const { rows } = await client.query({ text: `select ${table.columns.join(', ')} from ${table.name} order by ${table.key.join(', ')}` })
  return digest(rows, table)
}
