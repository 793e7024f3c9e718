// The baseline for the PostgreSQL HTTP figures: a bare node:http + `pg` server answering a user by id, a
// page of users and a create, with the statements roster sends (bench/suites/postgres-raw.ts) on a pool
// of roster's default size, and the same JSON shapes as bare-server.ts.
// Usage: bare-pg-server.ts DATABASE_URL
import type { IncomingMessage, ServerResponse } from 'node:http'
import pg from 'pg'
import { hashSecret } from '../../src/core/secrets.js'
import { adminUser, readBody, send, serveBare, type Row } from './bare-http.js'
import { rawPostgres } from '../suites/postgres-raw.js'

const [url] = process.argv.slice(2)
if (!url) throw new Error('usage: bare-pg-server.ts DATABASE_URL')
const pool = new pg.Pool({ connectionString: url, max: 10 })
pool.on('error', () => {})
const raw = rawPostgres(pool)

// metadata is jsonb, so `pg` hands it over parsed.
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const secret = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
  const key = secret ? ((await raw.keyByHash(hashSecret(secret))).rows[0] as Row | undefined) : undefined
  if (!key || !(JSON.parse(key.permissions) as string[]).includes('manage_users')) return send(res, 401, { success: false, error: 'Invalid or revoked API key' })
  const tenantId = key.tenant_id as string
  if (req.method === 'GET' && url.pathname.startsWith('/v1/admin/users/')) {
    const row = (await raw.getById(tenantId, decodeURIComponent(url.pathname.slice('/v1/admin/users/'.length)))).rows[0] as Row | undefined
    if (!row) return send(res, 404, { success: false, error: 'User not found' })
    return send(res, 200, { success: true, data: adminUser(row) })
  }
  if (req.method === 'GET' && url.pathname === '/v1/admin/users') {
    const limit = Number(url.searchParams.get('limit') ?? 50)
    const { rows, total } = await raw.list(tenantId, limit)
    const more = rows.length > limit
    const page = rows.slice(0, limit)
    const nextCursor = more ? Buffer.from(`n:${page.at(-1)!.number}`).toString('base64url') : null
    return send(res, 200, { success: true, data: page.map(adminUser), pagination: { total: Number(total), limit, offset: 0, has_more: more, next_cursor: nextCursor } })
  }
  if (req.method === 'POST' && url.pathname === '/v1/admin/users') {
    const body = JSON.parse(await readBody(req)) as Row
    if (typeof body.name !== 'string' || body.name.trim() === '') return send(res, 400, { success: false, error: 'Name is required and must be a non-empty string' })
    try {
      const user = await raw.create(tenantId, key.id, { name: body.name, externalId: body.external_id ?? null, email: body.email ?? null })
      return send(res, 201, {
        success: true,
        data: adminUser({ ...user, admin_key_id: key.id, tenant_name: user.tenantName, external_id: user.externalId, metadata: {},
          created_at: user.createdAt, updated_at: null, billing_plan: null, first_name: null, last_name: null }),
        message: 'User account created successfully',
      })
    } catch (error) {
      const conflict = (error as { code?: string }).code === '23505'
      return send(res, conflict ? 409 : 500, { success: false, error: conflict ? 'A user with this email already exists' : 'Internal server error' })
    }
  }
  send(res, 404, { success: false, error: 'Not found' })
}

serveBare(handle, () => pool.end())
