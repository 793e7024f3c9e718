// roster's HTTP APIs over one file, as `roster serve` runs them: node:http and createHttpHandler, from the
// compiled dist/ a host runs (`npm run bench` builds it first). Loaded through tsx, the same code measured
// 10-15% slower per request: tsx wraps every function it creates in a naming helper.
// Usage: roster-server.ts DB_PATH full|normal
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpHandler, openRoster } from '../../dist/src/index.js'

const [path, durability = 'full'] = process.argv.slice(2)
if (!path || (durability !== 'full' && durability !== 'normal')) throw new Error('usage: roster-server.ts DB_PATH full|normal')
const roster = await openRoster({ path, durability })
const server = createServer(createHttpHandler(roster))
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`))
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => void roster.close().then(() => process.exit(0)))
})
