import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** One built console file, read once, with the headers it is always served with. */
export interface ConsoleAsset {
  readonly body: Buffer
  readonly contentType: string
  readonly cacheControl: string
  readonly etag: string
}

/** The console's files by name (`index.html`, `console-3KQ7ZL2M.js`, …); nothing else is ever served. */
export type ConsoleAssets = ReadonlyMap<string, ConsoleAsset>

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}
// esbuild's `[name]-[hash]` names: a changed file gets a new name, so a browser may keep each one for good.
const HASHED = /-[A-Z0-9]{8}\.[a-z]+$/
const IMMUTABLE = 'public, max-age=31536000, immutable'
// index.html names the current hashed files, so it is checked again on every load (answered 304 when unchanged).
const REVALIDATE = 'no-cache'

// dist/console seen from this module: compiled it sits in dist/src/http/console, run from the sources in src/http/console.
const CANDIDATES = ['../../../console', '../../../dist/console']

/** The folder holding the built console, or an Error saying how to build it. */
export function findConsoleDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const candidate of CANDIDATES) {
    const dir = path.resolve(here, candidate)
    if (existsSync(path.join(dir, 'index.html'))) return dir
  }
  throw new Error('roster: the admin console is not built (no dist/console/index.html): run `npm run build`')
}

/**
 * Reads every file of the built console into memory, once, at start. Requests are answered from
 * this map by exact name, so no request path ever reaches the file system.
 */
export function loadConsoleAssets(dir: string = findConsoleDir()): ConsoleAssets {
  const assets = new Map<string, ConsoleAsset>()
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name)
    const contentType = CONTENT_TYPES[path.extname(name)]
    if (!contentType || !statSync(file).isFile()) continue
    const body = readFileSync(file)
    assets.set(name, {
      body,
      contentType,
      cacheControl: HASHED.test(name) ? IMMUTABLE : REVALIDATE,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    })
  }
  if (!assets.has('index.html')) throw new Error(`roster: ${dir} holds no index.html: run \`npm run build\``)
  return assets
}
