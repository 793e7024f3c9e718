// What both bare baseline servers (SQLite and PostgreSQL) answer with: the admin surface's user shape and
// plain node:http reading and writing, nothing a framework would add.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Row = Record<string, any>

/** The admin user as roster's admin surface shows it; `metadata` as the driver gives it back (text on SQLite). */
export function adminUser(row: Row) {
  return {
    id: row.id, admin_key_id: row.admin_key_id, admin_entity_name: row.tenant_name, external_id: row.external_id, name: row.name,
    email: row.email, metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata, created_at: row.created_at,
    updated_at: row.updated_at, status: row.status, billing_plan: row.billing_plan, first_name: row.first_name, last_name: row.last_name,
  }
}

export function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(payload) }).end(payload)
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Serves `handle` on a free loopback port, prints the line the bench waits for, and on SIGTERM closes, runs `close`, exits. */
export function serveBare(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, close: () => Promise<void> | void): void {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { success: false, error: String(error) }))
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  process.on('SIGTERM', () => {
    server.closeAllConnections()
    server.close(() => void Promise.resolve(close()).then(() => process.exit(0)))
  })
}
