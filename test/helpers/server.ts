import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpHandler, createRosterServer, type Roster, type RosterServerOptions } from '../../src/index.js'
import { openTestRoster } from './roster.js'

export interface TestServer {
  readonly roster: Roster
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string
  readonly port: number
  readonly server: Server
  /** Unexpected errors the handler reported so far (each a 500); `close` fails when there are any. */
  readonly errors: readonly unknown[]
  close(): Promise<void>
}

export interface TestServerOptions extends RosterServerOptions {
  /** Mount the bare handler in a plain `node:http` server, as a host app would, instead of `createRosterServer`. */
  readonly plain?: boolean
}

/** Serves `roster` (a fresh in-memory one by default) on 127.0.0.1 at a free port, the way `roster serve` does. */
export async function startTestServer(roster?: Roster, options: TestServerOptions = {}): Promise<TestServer> {
  const served = roster ?? (await openTestRoster())
  const errors: unknown[] = []
  const handlerOptions: RosterServerOptions = {
    ...options,
    onUnexpectedError: (error, req, requestId) => {
      errors.push(error)
      options.onUnexpectedError?.(error, req, requestId)
    },
  }
  const server = options.plain ? createServer(createHttpHandler(served, handlerOptions)) : createRosterServer(served, handlerOptions)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    roster: served,
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    errors,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await served.close()
      // A 500 is always a bug: fail the test that caused it.
      if (errors.length > 0) throw new AggregateError(errors, 'unexpected errors while serving')
    },
  }
}
