import Database from 'better-sqlite3'
import fs from 'node:fs'
import { openRoster } from '../src/index.js'
import { bulkLoadUsers } from './lib/bulk-load.js'
import { bulkLoadCredentials, zipfDraws } from './suites/credentials-fixture.js'
const origExec = Database.prototype.exec
let commits = 0
let commitMs = 0
Database.prototype.exec = function (sql: string) { if (sql !== 'COMMIT') return origExec.call(this, sql); commits++; const t = performance.now(); const r = origExec.call(this, sql); commitMs += performance.now() - t; return r }
const path = '/tmp/scratch/prof.db'
for (const f of [path, path + '-wal', path + '-shm']) fs.rmSync(f, { force: true })
const roster = await openRoster({ path })
const h = new Database(path)
h.pragma('journal_mode = WAL')
const loaded = bulkLoadCredentials(h, bulkLoadUsers(h, { users: 10000, tenants: 10 }), { credentials: 1000, usageRows: 100000, hot: 200 })
const draws = zipfDraws(loaded.hot.length, 1 << 16).map((i) => loaded.hot[i]!)
let i = 0
for (const ms of [300, 1000, 1000, 1000]) {
  let count = 0
  commits = 0
  const start = performance.now()
  let elapsed = 0
  await Promise.all(Array.from({ length: 100 }, async () => {
    while (elapsed < ms) {
      const r = await roster.credentials.verify(draws[i++ & 0xffff]!.secret)
      if (!r.valid) throw new Error('x')
      count++
      elapsed = performance.now() - start
    }
  }))
  console.log('commits', commits, 'per commit', count / commits, 'commit ms each', (commitMs / commits).toFixed(3), 'wal', fs.statSync(path + '-wal').size); commits = 0; commitMs = 0
  console.log('rate', Math.round(count * 1000 / (performance.now() - start)))
}
await roster.close()
