import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { PROJECT_ROOT } from '../helpers/cli.js'
import { migrationFileNames } from '../helpers/migration-files.js'
import { tempDbPath } from '../helpers/temp-db.js'

// dist/ is what the package ships (built by `pretest`); `npm run test:consumer` checks the packed tarball itself.
const DIST = path.join(PROJECT_ROOT, 'dist')
const INDEX = path.join(DIST, 'src', 'index.js')
const run = promisify(execFile)

/** What a few library calls print when run by a plain `node` (no TypeScript loader) against dist/. */
const SCRIPT = `
  const roster = await openRoster({ path: process.argv.at(-1) })
  const { tenant, key } = await roster.tenants.create(roster.principals.bootstrap(), { entityName: 'Acme' })
  const user = await roster.users.create(await roster.authenticate(key.secret), { name: 'Ada' })
  console.log(tenant.name, user.name, user.number)
  await roster.close()`

/** Every package a declaration file reaches from dist/src/index.d.ts, following relative imports. */
function externalTypeImports(): Set<string> {
  const seen = new Set<string>()
  const external = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)) {
      if (spec!.startsWith('.')) visit(path.resolve(path.dirname(file), spec!.replace(/\.js$/, '.d.ts')))
      else external.add(spec!)
    }
  }
  visit(path.join(DIST, 'src', 'index.d.ts'))
  return external
}

describe('dist/ build', { concurrency: true }, () => {
  it('runs as plain ESM under node, migrating a new file with no TypeScript loader', async () => {
    const code = `import { openRoster } from ${JSON.stringify(pathToFileURL(INDEX).href)}\n${SCRIPT}`
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code, tempDbPath()])
    assert.equal(stdout, 'Acme Ada 1\n')
  })

  it('loads through require() (require of ESM): no top-level await anywhere in its graph', async () => {
    const code = `const { openRoster } = require(${JSON.stringify(INDEX)});\n(async () => {${SCRIPT}\n})()`
    const { stdout, stderr } = await run(process.execPath, ['--input-type=commonjs', '-e', code, tempDbPath()])
    assert.equal(stdout, 'Acme Ada 1\n')
    // Nothing but roster's own notice of the secret key file it created (no ExperimentalWarning, no error).
    assert.deepEqual(stderr.split('\n').filter((line) => line !== '' && !line.startsWith('roster: created the secret key file')), [])
  })

  it('has public declarations that reach no driver types, only packages a host gets with roster or Node', () => {
    const external = [...externalTypeImports()]
    assert.ok(external.every((spec) => spec === 'valibot' || spec.startsWith('node:')), external.join(', '))
  })

  it('holds a compiled migration for every file of migrations/, and no others', () => {
    const compiled = readdirSync(path.join(DIST, 'migrations')).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort()
    assert.deepEqual(compiled, migrationFileNames())
  })
})
