import { StartupError } from './usage-error.js'

/** Why the server could not listen, as one line an operator can act on; other errors as they are. */
export function listenFailure(error: unknown, host: string, port: number): Error {
  const code = (error as { code?: string }).code
  const where = `${host}:${port}`
  if (code === 'EADDRINUSE') return new StartupError(`cannot listen on ${where}: the port is already in use (pick another with --port)`)
  if (code === 'EACCES') return new StartupError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`)
  if (code === 'EADDRNOTAVAIL') return new StartupError(`cannot listen on ${where}: this machine has no such address (check --host)`)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new StartupError(`cannot listen on ${where}: the host name does not resolve (check --host)`)
  return error instanceof Error ? error : new Error(String(error))
}
