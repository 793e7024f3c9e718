#!/usr/bin/env node
// The CLI runs the compiled code in dist/ (built by `npm install`, `npm pack` and `npm run build`).
import { existsSync } from 'node:fs'

const cli = new URL('../dist/src/cli.js', import.meta.url)
if (!existsSync(cli)) {
  // Only a source checkout can miss dist/: the published package always contains it.
  process.stderr.write('roster: dist/ is missing; run "npm run build" in the roster folder first.\n')
  process.exit(1)
}
await import(cli.href)
