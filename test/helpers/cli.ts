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

/** The environment for a child: this one without roster's or the test runner's variables, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra }
  if (!('ROSTER_BOOTSTRAP_KEY' in extra)) delete env.ROSTER_BOOTSTRAP_KEY
  if (!('ROSTER_SECRET_KEY' in extra)) delete env.ROSTER_SECRET_KEY
  delete env.NODE_TEST_CONTEXT
  return env
}

/** Starts `command args` in the project root, collecting its output. */
export function spawnCli(command: string, args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => (stdout += chunk))
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** `node --import tsx src/cli.ts …args`, the way `npm start` runs it. */
export function spawnRoster(args: string[], env: Record<string, string> = {}): CliProcess {
  return spawnCli(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], env)
}

/** Runs the CLI to its end and returns its exit code and output. */
export async function runRoster(args: string[], env: Record<string, string> = {}) {
  const cli = spawnRoster(args, env)
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
