import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** A PostgreSQL server of its own in a temporary folder, for one test run. */
export interface TemporaryPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>
}

/** The folder holding `initdb` and `postgres`: PATH first, else Debian's /usr/lib/postgresql/<newest>/bin. */
export function postgresBinaries(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim()
  if (onPath) return path.dirname(onPath)
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  const found = versions.map((v) => path.join(root, v, 'bin')).find((bin) => existsSync(path.join(bin, 'initdb')))
  return found ?? null
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts PostgreSQL in a new temporary folder on a free loopback port, trusting local connections.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (Debian's package
 * creates it). Durability settings are relaxed: the data is thrown away with the folder.
 */
export async function startTemporaryPostgres(): Promise<TemporaryPostgres> {
  const bin = postgresBinaries()
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql, or set ROSTER_TEST_POSTGRES_URL')
  const folder = mkdtempSync(path.join(tmpdir(), 'roster-postgres-'))
  const data = path.join(folder, 'data')
  const asUser: { uid?: number; gid?: number } = process.getuid?.() === 0 ? postgresUser() : {}
  if (asUser.uid !== undefined && asUser.gid !== undefined) chownSync(folder, asUser.uid, asUser.gid)
  const init = spawnSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
    encoding: 'utf8', ...asUser,
  })
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`)
  const port = await freePort()
  const server = spawn(path.join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300',
  ], { stdio: ['ignore', 'ignore', 'pipe'], ...asUser })
  let log = ''
  // Always read, so the server never blocks on a full pipe; only the last 64 KiB are kept, for error messages.
  server.stderr?.on('data', (chunk) => (log = (log + chunk).slice(-65536)))
  await waitUntilReady(server, folder, port, () => log)
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.kill('SIGINT')
        await exited
      }
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim())
  const uid = id('-u')
  if (!Number.isInteger(uid) || uid === 0) throw new Error('running as root needs a postgres user to start PostgreSQL as')
  return { uid, gid: id('-g') }
}

async function waitUntilReady(server: ChildProcess, folder: string, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}: ${log()}`)
    // The socket file appears once the server accepts connections.
    if (existsSync(path.join(folder, `.s.PGSQL.${port}`)) && /ready to accept connections/.test(log())) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  server.kill('SIGKILL')
  throw new Error(`postgres did not start within 30 s: ${log()}`)
}
