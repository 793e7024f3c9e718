import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { startTemporaryPostgres, type TemporaryPostgres } from './temporary-postgres.js'

/*
 * `npm run test:postgres`: the storage contracts, the service tests and the HTTP tests, written once, run
 * against PostgreSQL, plus the tests of what only PostgreSQL has (test/postgres/*.postgres.ts). The server is the one
 * ROSTER_TEST_POSTGRES_URL names, or one started here in a temporary folder and stopped at the end.
 */

function testFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(folder, f)).sort()
}

/** Tests that take a backend from STORES: every one of them runs on the `postgres` entry. */
const onEveryStore = [...testFiles('test/storage'), ...testFiles('test/core')].filter((file) => readFileSync(file, 'utf8').includes('STORES'))
// PostgreSQL's own tests are named *.postgres.ts, so `npm test` never loads them.
const own = readdirSync('test/postgres').filter((f) => f.endsWith('.postgres.ts')).map((f) => path.join('test/postgres', f)).sort()
const files = [...onEveryStore, ...testFiles('test/http'), ...own]

let server: TemporaryPostgres | null = null
let url = process.env.ROSTER_TEST_POSTGRES_URL
if (!url) {
  server = await startTemporaryPostgres()
  url = server.url
  process.stderr.write(`roster: started PostgreSQL for the suite at ${url}\n`)
}
let status: number
try {
  // Not spawnSync: this process must keep reading the server's log, or PostgreSQL blocks writing it once the pipe is full.
  const run = spawn(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files], {
    stdio: 'inherit',
    // Only the PostgreSQL entry of STORES; tests that name no store (the HTTP ones) get a PostgreSQL database too.
    env: {
      ...process.env, ROSTER_TEST_POSTGRES_URL: url, ROSTER_TEST_STORES: 'postgres', ROSTER_TEST_DEFAULT_STORE: 'postgres',
      ...(server && { ROSTER_TEST_POSTGRES_THROWAWAY: '1' }),
    },
  })
  const [code] = await once(run, 'exit')
  status = code ?? 1
} finally {
  await server?.stop()
}
process.exit(status)
