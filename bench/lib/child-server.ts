import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ChildServer {
  readonly url: string
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>
}

/**
 * Runs a bench server script (bench/servers/…) in its own process, so the server has a core of its own
 * and the load generator in this process does not slow it down; resolves once it prints `listening on URL`.
 */
export async function startChildServer(script: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ChildServer> {
  // JavaScript (roster's bin/, over dist/) runs as a host runs it, with no TypeScript loader.
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx']
  const child = spawn(process.execPath, [...loader, script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    }
    child.stdout.on('data', seen)
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    void exited.then(() => reject(new Error(`${script} exited before listening:\n${output}`)))
  })
  return {
    url,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
