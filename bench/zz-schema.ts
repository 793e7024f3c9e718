import Database from 'better-sqlite3'
import fs from 'node:fs'
import { randomUUID } from 'node:crypto'
const variant = process.argv[2] ?? 'current'
const path = '/tmp/scratch/schema.db'
for (const f of [path, path + '-wal', path + '-shm']) fs.rmSync(f, { force: true })
const h = new Database(path)
h.pragma('journal_mode = WAL'); h.pragma('synchronous = FULL')
h.exec(`create table credentials (id text primary key, tenant_id text, user_id text, name text, secret_hash text unique, prefix text, created_at text, last_used_at text, expires_at text, revoked_at text, created_by_key_id text)`)
const hourFirst = process.argv.includes('--hour-first')
h.exec(`create table usage_hourly (credential_id text not null, hour integer not null, tenant_id text not null, user_id text not null, requests integer not null, units integer not null, last_used_at text, primary key ${hourFirst ? '(hour, credential_id)' : '(credential_id, hour)'}) without rowid`)
if (hourFirst) h.exec('create unique index byc on usage_hourly (credential_id, hour)')
const idx: Record<string, string[]> = {
  current: ['(tenant_id, hour, user_id, requests, units)', '(tenant_id, user_id, hour, credential_id, requests, units)'],
  tenantcover: ['(tenant_id, hour, user_id, requests, units)'],
  tenantnarrow: ['(tenant_id, hour, user_id)'],
}
idx[variant]!.forEach((cols, i) => h.exec(`create index i${i} on usage_hourly ${cols}`))
const tenants = Array.from({ length: 100 }, () => randomUUID())
const creds = Array.from({ length: 10000 }, (_, i) => ({ id: randomUUID(), tenant: i < 1000 ? tenants[0]! : tenants[1 + (i % 99)]!, user: randomUUID() }))
const ic = h.prepare('insert into credentials values (?, ?, ?, ?, ?, ?, ?, null, null, null, null)')
const iu = h.prepare('insert into usage_hourly values (?, ?, ?, ?, ?, ?, null)')
const now = Math.floor(Date.now() / 3600000)
h.transaction(() => {
  for (const c of creds) {
    ic.run(c.id, c.tenant, c.user, 'x', randomUUID(), 'p', new Date().toISOString())
    for (let k = 0; k < 100; k++) try { iu.run(c.id, now - 1 - Math.floor(Math.random() * 1440), c.tenant, c.user, 5, 5) } catch {}
  }
})()
h.pragma('wal_checkpoint(TRUNCATE)')
h.exec('analyze')
if (process.argv.includes('--normal')) h.pragma('synchronous = NORMAL')
const walFrames = () => (fs.statSync(path + '-wal').size - 32) / 4120
const w0 = walFrames(); let ckpts = 0
if (process.argv.includes('--no-ckpt')) h.pragma('wal_autocheckpoint = 0')
const inRow = process.argv.includes('--in-row')
const up = h.prepare(`insert into usage_hourly values (?, ?, ?, ?, ?, ?, ?) on conflict (credential_id, hour) do update set requests = requests + excluded.requests, units = units + excluded.units${inRow ? ', last_used_at = max(coalesce(last_used_at, \'\'), excluded.last_used_at)' : ''}`)
const touch = h.prepare('update credentials set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)')
const hot = [...creds].sort(() => Math.random() - 0.5).slice(0, 1000)
const cum: number[] = []; let tot = 0; for (let r = 0; r < 1000; r++) cum.push(tot += 1 / (r + 1))
const zipf = () => { const x = Math.random() * tot; let lo = 0, hi = 999; while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m]! < x) lo = m + 1; else hi = m } return hot[lo]! }
let distinct = 0; let n = 0; const start = performance.now(); let commitMs = 0
while (performance.now() - start < 3000) {
  h.exec('BEGIN IMMEDIATE')
  const at = new Date().toISOString()
  const batch = new Set<typeof hot[number]>(); for (let k = 0; k < 100; k++) batch.add(zipf())
  distinct += batch.size
  for (const c of batch) {
    up.run(c.id, now, c.tenant, c.user, 1, 1, at)
    if (!inRow) touch.run(at, c.id, at)
  }
  const t = performance.now(); h.exec('COMMIT'); commitMs += performance.now() - t
  n++
  if (process.argv.includes('--no-ckpt') && walFrames() > 20000) { h.pragma('wal_checkpoint(TRUNCATE)'); ckpts++ }
}
const frames = walFrames() - w0 + ckpts * 20000
const summ = h.prepare('select sum(requests) r, sum(units) u, count(distinct user_id) c from usage_hourly where tenant_id = ? and hour >= ? and hour < ?')
const byUser = h.prepare('select user_id, sum(requests) as requests from usage_hourly where tenant_id = ? and hour >= ? and hour < ? group by user_id order by requests desc, user_id limit 50')
const q = (from: number) => { const s = performance.now(); for (let i = 0; i < 5; i++) { summ.get(tenants[0], from, now + 1); byUser.all(tenants[0], from, now + 1) } return ((performance.now() - s) / 5).toFixed(2) }
console.log(variant, inRow ? 'last_used in row' : 'touch', hourFirst ? 'hour-first' : '', 'distinct', (distinct / n).toFixed(1), 'batch ms', ((performance.now() - start) / n).toFixed(3), 'commit ms', (commitMs / n).toFixed(3), 'frames/commit', (frames / n).toFixed(1), 'summary 24h ms', q(now - 24), 'month ms', q(now - 23 * 24))
