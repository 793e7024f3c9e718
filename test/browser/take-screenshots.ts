// `npm run screenshots`: PNGs of the console's main pages for the README, from a real server over the
// browser-test fixture, into docs/ (desktop width, plus the user list at 360 px).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PROJECT_ROOT } from '../helpers/cli.js'
import { browserMissing, launchBrowser, signIn, watchForErrors } from './browser.js'
import { startConsoleFixture } from './console-fixture.js'

const DOCS = path.join(PROJECT_ROOT, 'docs')

const missing = browserMissing()
if (missing) throw new Error(missing)
mkdirSync(DOCS, { recursive: true })
const fixture = await startConsoleFixture()
const browser = await launchBrowser()
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 })
  const errors = watchForErrors(page)
  await signIn(page, fixture.url, fixture.adminKey)
  await page.getByRole('link', { name: 'Acme Corporation' }).waitFor()
  await page.screenshot({ path: path.join(DOCS, 'console-users.png') })

  await page.getByRole('link', { name: 'Acme Corporation' }).click()
  await page.getByRole('heading', { level: 2, name: 'Usage' }).waitFor()
  await page.locator('.chart svg').first().waitFor()
  await page.screenshot({ path: path.join(DOCS, 'console-user.png'), fullPage: true })

  await page.getByRole('link', { name: 'Tenant' }).click()
  await page.getByRole('heading', { level: 2, name: 'Usage summary' }).waitFor()
  await page.locator('.chart svg').first().waitFor()
  await page.screenshot({ path: path.join(DOCS, 'console-tenant.png'), fullPage: true })

  const phone = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 })
  await signIn(phone, fixture.url, fixture.adminKey)
  await phone.getByRole('link', { name: 'Acme Corporation' }).waitFor()
  await phone.screenshot({ path: path.join(DOCS, 'console-users-360.png') })
  if (errors.length > 0) throw new Error(`the console reported errors:\n${errors.join('\n')}`)
  process.stdout.write(`screenshots written to ${path.relative(PROJECT_ROOT, DOCS)}/\n`)
} finally {
  await browser.close()
  await fixture.close()
}
