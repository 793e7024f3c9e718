// `npm run test:consumer`: roster as a host app gets it. Packs the tarball with `npm pack`, installs it with a real
// `npm install` into a new folder (better-sqlite3 compiles there when no prebuilt binary fits), then runs the
// README's library example as plain ESM and as CommonJS and type-checks it as strict TypeScript under both module
// resolutions. Not part of `npm test`: it takes minutes. Each result prints as its own line; any failure fails the run.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createInterface } from 'node:readline'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { PROJECT_ROOT } from '../helpers/cli.js'
import { cjsExample, EXAMPLE_OUTPUT, readmeLibraryExample } from './readme-example.js'
import { strictTsconfig } from './strict-tsconfig.js'

const exec = promisify(execFile)
const HOST = mkdtempSync(path.join(tmpdir(), 'roster-host-'))
const PACKAGE = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string }
// The files a package may ship besides dist/ and bin/; npm adds package.json itself.
const TOP_LEVEL_FILES = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']

/** The version of a development dependency as installed here, so the host type-checks with the same tools. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
}

/** Runs a command in the host folder; on failure the error carries its output, which the test report prints. */
async function inHost(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(command, args, { cwd: HOST, timeout: 900_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } })
}

let packed: string[] = []

describe(`${PACKAGE.name} ${PACKAGE.version} from its tarball, in a new host app (${HOST})`, { timeout: 1_200_000 }, () => {
  before(async () => {
    // npm pack runs `prepare`, which builds dist/ afresh.
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', HOST], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 })
    const [pack] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[]
    packed = pack!.files.map((f) => f.path)
    writeFileSync(path.join(HOST, 'package.json'), JSON.stringify({
      name: 'roster-host', version: '1.0.0', private: true,
      // npm asks hosts to approve install scripts; better-sqlite3 builds its native module in one.
      allowScripts: { 'better-sqlite3': true },
    }, null, 2))
    await inHost('npm', ['install', '--no-audit', '--no-fund', `./${pack!.filename}`,
      `typescript@${installedVersion('typescript')}`, `@types/node@${installedVersion('@types/node')}`])

    const example = readmeLibraryExample(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8'))
    writeFileSync(path.join(HOST, 'app.mjs'), example)
    writeFileSync(path.join(HOST, 'app.cjs'), cjsExample(example))
    writeFileSync(path.join(HOST, 'app.mts'), example)
    writeFileSync(path.join(HOST, 'app.ts'), example)
    writeFileSync(path.join(HOST, 'tsconfig.nodenext.json'), JSON.stringify(strictTsconfig('nodenext', 'app.mts'), null, 2))
    writeFileSync(path.join(HOST, 'tsconfig.bundler.json'), JSON.stringify(strictTsconfig('bundler', 'app.ts'), null, 2))
  })
  // ROSTER_KEEP_HOST=1 keeps the host folder, to look into a failure or time the installed CLI.
  after(() => process.env['ROSTER_KEEP_HOST'] === '1' || rmSync(HOST, { recursive: true, force: true }))

  it('the tarball holds only dist/ (src, compiled migrations, the built console), bin/, README, LICENSE and CHANGELOG', () => {
    const unexpected = packed.filter((file) => !/^(dist\/(src|migrations|console)\/|bin\/)/.test(file) && !TOP_LEVEL_FILES.includes(file))
    assert.deepEqual(unexpected, [])
    for (const file of [...TOP_LEVEL_FILES, 'bin/roster.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/console/index.html']) {
      assert.ok(packed.includes(file), `${file} is missing`)
    }
    assert.ok(packed.some((file) => /^dist\/migrations\/.+\.js$/.test(file)), 'no compiled migration')
    // The console's sources, its browser tests and the README's screenshots stay in the repository.
    assert.ok(packed.some((file) => /^dist\/console\/console-[A-Z0-9]{8}\.js$/.test(file)), 'no built console script')
    assert.deepEqual(packed.filter((file) => /\.png$|^dist\/src\/console\//.test(file)), [])
  })

  it('ESM: `node app.mjs` runs the README example', async (t) => {
    const { stdout } = await inHost(process.execPath, ['app.mjs'])
    t.diagnostic(`app.mjs printed: ${stdout.trim()}`)
    assert.equal(stdout, EXAMPLE_OUTPUT)
  })

  it('CommonJS: `node app.cjs` runs it through require(\'roster\')', async (t) => {
    const { stdout } = await inHost(process.execPath, ['app.cjs'])
    t.diagnostic(`app.cjs printed: ${stdout.trim()}`)
    assert.equal(stdout, EXAMPLE_OUTPUT)
  })

  for (const resolution of ['nodenext', 'bundler'] as const) {
    it(`TypeScript: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, noPropertyAccessFromIndexSignature, skipLibCheck false, moduleResolution ${resolution}`, async (t) => {
      const { stdout } = await inHost(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `tsconfig.${resolution}.json`, '--listFilesOnly'])
      const reached = stdout.split('\n').filter((file) => file.includes('node_modules/roster/'))
      assert.ok(reached.some((file) => file.endsWith('dist/src/index.d.ts')), 'the check did not reach roster’s declarations')
      await inHost(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `tsconfig.${resolution}.json`])
      t.diagnostic(`tsc -p tsconfig.${resolution}.json: no errors over ${reached.length} roster declaration files`)
    })
  }

  it('CLI: the installed `roster` bin runs compiled code (tsx is not installed here)', async () => {
    assert.equal((await inHost('npx', ['--no-install', 'roster', '--version'])).stdout, `${PACKAGE.version}\n`)
    await assert.rejects(inHost(process.execPath, ['--input-type=module', '-e', "import.meta.resolve('tsx')"]))
    const { stdout } = await inHost('npx', ['--no-install', 'roster', 'keys', 'list', '--db', 'roster.db'])
    // The ESM and CommonJS runs each created a tenant named Acme in ./roster.db.
    assert.deepEqual(stdout.trimEnd().split('\n').slice(1).map((line) => line.split('\t')[1]), ['Acme', 'Acme'])
  })

  it('CLI: `roster serve --console` serves the console built into the package', async (t) => {
    // The installed bin run by node itself, so the signal below reaches the server rather than an npx wrapper.
    const bin = path.join(HOST, 'node_modules', 'roster', 'bin', 'roster.js')
    const child = spawn(process.execPath, [bin, 'serve', '--console', '--quiet', '--db', ':memory:', '--port', '0'],
      { cwd: HOST, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
      const origin = /^roster listening on (http:\/\/\S+)$/.exec(line)?.[1]
      assert.ok(origin, `${line}\n${stderr}`)
      const page = await fetch(`${origin}/console/`)
      assert.equal(page.status, 200)
      const script = /src="\.\/(console-[A-Z0-9]{8}\.js)"/.exec(await page.text())?.[1]
      assert.ok(script, 'index.html names no console script')
      const asset = await fetch(`${origin}/console/${script}`)
      assert.deepEqual([asset.status, asset.headers.get('content-type')], [200, 'text/javascript; charset=utf-8'])
      t.diagnostic(`served /console/ and ${script} (${(await asset.arrayBuffer()).byteLength} bytes)`)
    } finally {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  })
})
