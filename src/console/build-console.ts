// Builds the admin console into dist/console at package build time (`npm run build`): one hashed
// script, one hashed stylesheet, a hashed icon and index.html naming them. Nothing is built at run time.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.resolve(HERE, '../../dist/console')

// Files of an earlier build would otherwise stay beside the new ones, and be served.
rmSync(OUT, { recursive: true, force: true })
const result = await build({
  entryPoints: { console: path.join(HERE, 'app/main.ts'), styles: path.join(HERE, 'styles/console.css') },
  outdir: OUT,
  // Content hashes in the names let roster serve them with a year-long immutable cache.
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  minify: true,
  // Browsers from 2023 on: native modules, ResizeObserver, <dialog>-era CSS.
  target: ['chrome109', 'firefox115', 'safari16'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
})

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file))
const js = outputs.find((name) => name.endsWith('.js'))
const css = outputs.find((name) => name.endsWith('.css'))
if (!js || !css) throw new Error(`console build: expected one .js and one .css, got ${outputs.join(', ')}`)

// The icon is copied under a hash of its own bytes, in esbuild's form (8 of [A-Z0-9]), which roster caches for good.
const icon = readFileSync(path.join(HERE, 'favicon.svg'))
const favicon = `favicon-${createHash('sha256').update(icon).digest('hex').slice(0, 8).toUpperCase()}.svg`
mkdirSync(OUT, { recursive: true })
writeFileSync(path.join(OUT, favicon), icon)

const html = readFileSync(path.join(HERE, 'index.html'), 'utf8')
  .replace('{{js}}', js).replace('{{css}}', css).replace('{{favicon}}', favicon)
writeFileSync(path.join(OUT, 'index.html'), html)

const sizes = [js, css].map((name) => {
  const bytes = readFileSync(path.join(OUT, name))
  return `${name} ${(bytes.length / 1024).toFixed(1)} KiB (${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzip)`
})
// On stderr: `npm pack --json` runs this build (prepare) and its stdout must stay JSON.
process.stderr.write(`console built into dist/console: ${sizes.join(', ')}\n`)
