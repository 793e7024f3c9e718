import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { RequestLogEntry } from '../../src/index.js'
import { PROJECT_ROOT } from '../helpers/cli.js'
import { request } from '../helpers/http.js'
import { sendRaw } from '../helpers/raw-http.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

// dist/console is built by `pretest` (npm run build), exactly as the package ships it.
const BUILT = path.join(PROJECT_ROOT, 'dist', 'console')
const files = () => readdirSync(BUILT)
const built = (name: string) => readFileSync(path.join(BUILT, name))
const named = (pattern: RegExp) => {
  const name = files().find((f) => pattern.test(f))
  assert.ok(name, `dist/console holds no file like ${pattern}`)
  return name
}

describe('the admin console is served only when asked for', () => {
  for (const plain of [false, true]) {
    it(`answers /console/ with the usual 404 without the option (${plain ? 'createHttpHandler' : 'createRosterServer'})`, async () => {
      const server = await startTestServer(undefined, { plain })
      try {
        for (const target of ['/console/', '/console', '/console/index.html', `/console/${named(/^console-.*\.js$/)}`]) {
          const response = await request(server.url, target)
          assert.equal(response.status, 404, target)
          assert.deepEqual(response.body, { error: 'Not found' })
          assert.equal(response.headers.get('content-security-policy'), null)
        }
      } finally {
        await server.close()
      }
    })
  }
})

describe('serving the admin console (console: true)', () => {
  let server: TestServer
  let plainServer: TestServer
  const log: RequestLogEntry[] = []
  before(async () => {
    server = await startTestServer(undefined, { console: true, onRequest: (entry) => void log.push(entry) })
    plainServer = await startTestServer(undefined, { console: true, plain: true })
  })
  after(async () => {
    await server.close()
    await plainServer.close()
  })

  it('serves index.html at /console/ with a strict CSP and revalidation, through both entry points', async () => {
    for (const base of [server.url, plainServer.url]) {
      const response = await request(base, '/console/')
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8')
      assert.equal(response.body, built('index.html').toString())
      const csp = response.headers.get('content-security-policy') ?? ''
      assert.match(csp, /(^|; )default-src 'self'(;|$)/)
      assert.match(csp, /frame-ancestors 'none'/)
      assert.match(csp, /object-src 'none'/)
      assert.match(csp, /base-uri 'none'/)
      assert.match(csp, /require-trusted-types-for 'script'/)
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/)
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(response.headers.get('x-frame-options'), 'DENY')
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer')
      assert.equal(response.headers.get('cache-control'), 'no-cache')
      assert.match(response.headers.get('etag') ?? '', /^"[\w-]+"$/)
    }
  })

  it('serves each hashed file with its content type and a year-long immutable cache', async () => {
    const expected: [RegExp, string][] = [
      [/^console-[A-Z0-9]{8}\.js$/, 'text/javascript; charset=utf-8'],
      [/^styles-[A-Z0-9]{8}\.css$/, 'text/css; charset=utf-8'],
      [/^favicon-[A-Z0-9]{8}\.svg$/, 'image/svg+xml'],
    ]
    for (const [pattern, type] of expected) {
      const name = named(pattern)
      const response = await fetch(`${server.url}/console/${name}`)
      assert.equal(response.status, 200, name)
      assert.equal(response.headers.get('content-type'), type, name)
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', name)
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', name)
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/)
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), built(name), name)
    }
  })

  it('index.html names the built files and holds no inline script or style; nothing built reaches another origin', () => {
    const html = built('index.html').toString()
    for (const name of files().filter((f) => f !== 'index.html')) assert.ok(html.includes(`"./${name}"`), `index.html does not name ${name}`)
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/)
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i)
    for (const name of files()) {
      // The only absolute URL allowed is the SVG namespace, which is a name, never fetched.
      const urls = [...built(name).toString().matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi)].map((m) => m[0])
      assert.deepEqual(urls.filter((url) => url !== 'http://www.w3.org/2000/svg'), [], name)
    }
    assert.doesNotMatch(built(named(/^console-.*\.js$/)).toString(), /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/)
  })

  it('redirects /console to /console/, answers HEAD without a body and a matching ETag with 304', async () => {
    const redirect = await fetch(`${server.url}/console`, { redirect: 'manual' })
    assert.deepEqual([redirect.status, redirect.headers.get('location')], [308, '/console/'])
    const head = await fetch(`${server.url}/console/`, { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.headers.get('content-length'), String(built('index.html').length))
    assert.equal(await head.text(), '')
    const etag = head.headers.get('etag')!
    const again = await fetch(`${server.url}/console/`, { headers: { 'if-none-match': etag } })
    assert.equal(again.status, 304)
    assert.equal(again.headers.get('etag'), etag)
  })

  it('refuses other methods with 405 and names an unknown file 404, both with the console headers', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await request(server.url, '/console/', { method, body: {} })
      assert.equal(response.status, 405, method)
      assert.equal(response.headers.get('allow'), 'GET, HEAD')
    }
    for (const target of ['/console/nope.js', '/console/INDEX.HTML', '/console/assets/', '/console/index.html/x']) {
      const response = await request(server.url, target)
      assert.equal(response.status, 404, target)
      assert.deepEqual(response.body, { error: 'Not found' })
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/)
    }
  })

  it('never serves a file outside dist/console, however the path is spelled', async () => {
    const outside = [readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8').slice(0, 40), '"compilerOptions"', 'root:x:0:0']
    const targets = [
      '/console/../package.json', '/console/%2e%2e/package.json', '/console/%2e%2e/', '/console/%2E%2E/%2E%2E/etc/passwd',
      '/console/..%2fpackage.json', '/console/..%2f..%2fpackage.json', '/console/%2e%2e%2fpackage.json', '/console/..%5cpackage.json',
      '/console\\..\\package.json', '/console/.%2e/tsconfig.json', '/console//etc/passwd', '/console/%00', '/console/index.html%00',
      '/console/index.html%00.js', '/console/%00/../package.json', '/console/../src/console/index.html', '/console/../../../../etc/passwd',
      'http://example.com/console/../package.json',
    ]
    for (const target of targets) {
      const response = await sendRaw(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
      assert.ok(response.status === 404 || response.status === 400, `${target}: ${response.status}`)
      for (const text of outside) assert.ok(!response.body.includes(text), `${target} answered with a file outside dist/console`)
    }
  })

  it('logs console requests under one route, never the file asked for', async () => {
    log.length = 0
    await request(server.url, `/console/${named(/^styles-.*\.css$/)}`)
    await request(server.url, '/console/../secret')
    assert.ok(log.some((entry) => entry.route === '/console/:file' && entry.status === 200), JSON.stringify(log))
    assert.ok(log.every((entry) => !JSON.stringify(entry).includes('styles-')))
  })
})
