import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpHandler, type Roster } from '../../src/index.js'
import { openTestRoster } from './roster.js'

export interface TestServer {
  readonly roster: Roster
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string
  readonly server: Server
  close(): Promise<void>
}

/** Serves `roster` (a fresh in-memory one by default) on 127.0.0.1 at a free port. */
export async function startTestServer(roster?: Roster): Promise<TestServer> {
  const served = roster ?? (await openTestRoster())
  const errors: unknown[] = []
  const server = createServer(createHttpHandler(served, { onUnexpectedError: (error) => errors.push(error) }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    roster: served,
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await served.close()
      // A 500 is always a bug: fail the test that caused it.
      if (errors.length > 0) throw new AggregateError(errors, 'unexpected errors while serving')
    },
  }
}
