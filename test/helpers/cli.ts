import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LISTENING = /^roster listening on (http:\/\/\S+)$/m

export interface CliProcess {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const ROSTER_VARIABLES = ['ROSTER_BOOTSTRAP_KEY', 'ROSTER_SECRET_KEY', 'ROSTER_DB', 'ROSTER_DATABASE_URL', 'ROSTER_PORT', 'ROSTER_HOST']

/** Who a child runs as: the permission tests run the CLI as an unprivileged user. */
export interface RunAs {
  readonly uid?: number
  readonly gid?: number
}

/** The environment for a child: this one without roster's or the test runner's variables, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const name of ROSTER_VARIABLES) delete env[name]
  delete env.NODE_TEST_CONTEXT
  return { ...env, ...extra }
}

/** Starts `command args` in the project root, collecting its output. */
export function spawnCli(command: string, args: string[], env: Record<string, string> = {}, as: RunAs = {}): CliProcess {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], ...as })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => (stdout += chunk))
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** `node --import tsx src/cli.ts …args`: the CLI from its sources, so a test sees a change without a build. */
export function spawnRoster(args: string[], env: Record<string, string> = {}, as: RunAs = {}): CliProcess {
  return spawnCli(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], env, as)
}

/** `node bin/roster.js …args`: the compiled CLI in dist/, as `npx roster` and `npm start` run it. */
export function spawnCompiledRoster(args: string[], env: Record<string, string> = {}): CliProcess {
  return spawnCli(process.execPath, ['bin/roster.js', ...args], env)
}

/** Runs the CLI (from src/ through tsx, or `compiled` from dist/) to its end and returns its exit code and output. */
export async function runRoster(args: string[], env: Record<string, string> = {}, { compiled = false, as = {} }: { compiled?: boolean; as?: RunAs } = {}) {
  const cli = compiled ? spawnCompiledRoster(args, env) : spawnRoster(args, env, as)
  const { code } = await cli.exited
  return { code, stdout: cli.stdout(), stderr: cli.stderr() }
}

/** Waits for the listening line and returns the base URL; fails with the output if the process ends first. */
export async function listeningUrl(cli: CliProcess): Promise<string> {
  const ended = cli.exited.then(({ code }) => {
    throw new Error(`exited with ${code} before listening\nstdout: ${cli.stdout()}\nstderr: ${cli.stderr()}`)
  })
  const listening = (async () => {
    while (!LISTENING.test(cli.stdout())) await once(cli.child.stdout!, 'data')
    return LISTENING.exec(cli.stdout())![1]!
  })()
  return Promise.race([listening, ended])
}

/** True when nothing accepts TCP connections at `url`'s port any more. */
export function portClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}
