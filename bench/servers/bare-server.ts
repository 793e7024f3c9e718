// The baseline for the HTTP suite: a bare node:http + better-sqlite3 server answering the same four
// routes on a file roster created, with the same SQL roster runs (an admin key by hash, the page, the
// count from user_counts, the number counter then the insert), statements prepared once, and the same
// JSON shapes; no validation layers, no envelopes built by a framework, one transaction per create.
// Usage: bare-server.ts DB_PATH full|normal
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import Database from 'better-sqlite3'
import { hashSecret } from '../../src/core/secrets.js'
import { adminUser, readBody, send, serveBare, type Row } from './bare-http.js'

const [path, durability = 'full'] = process.argv.slice(2)
if (!path || (durability !== 'full' && durability !== 'normal')) throw new Error('usage: bare-server.ts DB_PATH full|normal')
const db = new Database(path)
db.pragma('journal_mode = WAL')
db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`)
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
db.pragma('temp_store = MEMORY')

const USER = 'select users.*, tenants.name as tenant_name from users join tenants on tenants.id = users.tenant_id where users.tenant_id = ?'
// roster's page takes the tenant name from a subquery (a join with a bound LIMIT can sort the whole tenant).
const PAGE = 'select users.*, (select tenants.name from tenants where tenants.id = users.tenant_id) as tenant_name from users where users.tenant_id = ?'
const ACCOUNT = `select users.id as user_id, users.tenant_id, users.number, users.email, users.first_name, users.last_name, users.name,
  users.account_type, users.auth_type, users.status, users.created_at, users.expires_at, coalesce(users.updated_at, users.created_at) as updated_at
  from users where users.tenant_id = ?`
const sql = {
  key: db.prepare('select * from admin_keys where secret_hash = ? and revoked_at is null'),
  byId: db.prepare(`${USER} and users.id = ?`),
  page: db.prepare(`${PAGE} order by users.number desc limit ? offset ?`),
  count: db.prepare('select coalesce(sum(users), 0) as total from user_counts where tenant_id = ?'),
  accounts: db.prepare(`${ACCOUNT} order by users.number asc limit ?`),
  nextNumber: db.prepare('update tenants set next_user_number = next_user_number + 1 where id = ? returning next_user_number - 1 as number, name'),
  insert: db.prepare(`insert into users (id, tenant_id, number, external_id, name, first_name, last_name, email, email_lower, metadata, status,
    suspended_reason, billing_plan, account_type, auth_type, expires_at, created_at, updated_at, admin_key_id)
    values (?, ?, ?, ?, ?, null, null, ?, ?, ?, 'active', null, ?, 'user', 'none', null, ?, null, ?)`),
  begin: db.prepare('BEGIN IMMEDIATE'),
  commit: db.prepare('COMMIT'),
  rollback: db.prepare('ROLLBACK'),
}

function account(row: Row) {
  const self = `/api/v3/iam/accounts/${row.number}`
  return {
    type: 'accounts', id: String(row.number),
    attributes: {
      id: row.number, email: row.email, account_type: row.account_type, auth_type: row.auth_type, created_at: row.created_at,
      updated_at: row.updated_at, expires_at: row.expires_at, enabled: row.status === 'active', person_id: row.number,
    },
    relationships: {
      roles: { links: { self: `${self}/relationships/roles`, related: `${self}/roles` } },
      person: { data: { type: 'people', id: String(row.number) } },
      organization: { data: { type: 'organizations', id: row.tenant_id } },
    },
    links: { self },
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const secret = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
  const key = secret ? (sql.key.get(hashSecret(secret)) as Row | undefined) : undefined
  if (!key || !(JSON.parse(key.permissions) as string[]).includes('manage_users')) return send(res, 401, { success: false, error: 'Invalid or revoked API key' })
  const tenantId = key.tenant_id as string
  if (req.method === 'GET' && url.pathname.startsWith('/v1/admin/users/')) {
    const row = sql.byId.get(tenantId, decodeURIComponent(url.pathname.slice('/v1/admin/users/'.length))) as Row | undefined
    if (!row) return send(res, 404, { success: false, error: 'User not found' })
    return send(res, 200, { success: true, data: adminUser(row) })
  }
  if (req.method === 'GET' && url.pathname === '/v1/admin/users') {
    const limit = Number(url.searchParams.get('limit') ?? 50)
    const rows = sql.page.all(tenantId, limit + 1, 0) as Row[]
    const more = rows.length > limit
    const page = rows.slice(0, limit)
    const nextCursor = more ? Buffer.from(`n:${page.at(-1)!.number}`).toString('base64url') : null
    const total = (sql.count.get(tenantId) as Row).total
    return send(res, 200, { success: true, data: page.map(adminUser), pagination: { total, limit, offset: 0, has_more: more, next_cursor: nextCursor } })
  }
  if (req.method === 'GET' && url.pathname === '/api/v3/iam/accounts') {
    const size = Number(url.searchParams.get('page[size]') ?? 1000)
    const rows = sql.accounts.all(tenantId, size + 1) as Row[]
    const page = rows.slice(0, size)
    const total = url.searchParams.get('count') === 'true' ? (sql.count.get(tenantId) as Row).total : undefined
    const next = rows.length > size ? Buffer.from(JSON.stringify(['id', page.at(-1)!.number])).toString('base64url') : null
    return send(res, 200, {
      jsonapi: { version: '1.1' },
      data: page.map(account),
      links: {
        self: url.pathname + url.search, first: url.pathname, prev: null,
        next: next && `${url.pathname}?page[size]=${size}&page[after]=${next}`,
        last: total === undefined ? null : `${url.pathname}?page[number]=${Math.max(1, Math.ceil(total / size))}`,
      },
      meta: { ...(total !== undefined && { total }), page: { size, number: 1 } },
    }, 'application/vnd.api+json')
  }
  if (req.method === 'POST' && url.pathname === '/v1/admin/users') {
    const body = JSON.parse(await readBody(req)) as Row
    if (typeof body.name !== 'string' || body.name.trim() === '') return send(res, 400, { success: false, error: 'Name is required and must be a non-empty string' })
    const id = randomUUID()
    const createdAt = new Date().toISOString()
    const email = typeof body.email === 'string' ? body.email : null
    let number: number
    let tenantName: string
    sql.begin.run()
    try {
      const next = sql.nextNumber.get(tenantId) as Row
      ;({ number, name: tenantName } = next as { number: number; name: string })
      sql.insert.run(id, tenantId, number, body.external_id ?? null, body.name, email, email?.toLowerCase() ?? null,
        JSON.stringify(body.metadata ?? {}), body.billing_plan ?? null, createdAt, key.id)
      sql.commit.run()
    } catch (error) {
      if (db.inTransaction) sql.rollback.run()
      const conflict = (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
      return send(res, conflict ? 409 : 500, { success: false, error: conflict ? 'A user with this email already exists' : 'Internal server error' })
    }
    return send(res, 201, {
      success: true,
      data: adminUser({ id, admin_key_id: key.id, tenant_name: tenantName, external_id: body.external_id ?? null, name: body.name, email,
        metadata: JSON.stringify(body.metadata ?? {}), created_at: createdAt, updated_at: null, status: 'active', billing_plan: body.billing_plan ?? null,
        first_name: null, last_name: null }),
      message: 'User account created successfully',
    })
  }
  send(res, 404, { success: false, error: 'Not found' })
}

serveBare(handle, () => {
  db.close()
})
