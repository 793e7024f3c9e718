import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startConsoleFixture, type ConsoleFixture } from './console-fixture.js'

/** Debian's Chromium: Playwright cannot download its own browser here, and CI installs this one. */
export const CHROMIUM = process.env['ROSTER_CHROMIUM'] ?? '/usr/bin/chromium'

/** Why the browser tests cannot run, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no browser at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) to run the console's browser tests`
}

/**
 * Headless Chromium with a fresh profile (Playwright makes and removes one per launch). As root it needs
 * --no-sandbox; the background-networking flags keep it from calling Google's services, which a closed network refuses.
 */
export async function launchBrowser(): Promise<Browser> {
  const args = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-default-apps', '--disable-features=Translate,OptimizationHints,MediaRouter']
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args })
}

/** Collects what the page reports as broken: console errors (CSP violations among them) and uncaught exceptions. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()) })
  page.on('pageerror', (error) => errors.push(String(error)))
  return errors
}

/** Signs in on the console's sign-in page with `key` and waits for the users list. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`)
  await page.getByLabel('Admin key').fill(key)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor()
}

/** Where the test run saves a screenshot of each main page it reaches (ROSTER_SCREENSHOT_DIR, else a folder in the system's temp). */
export const SCREENSHOT_DIR = process.env['ROSTER_SCREENSHOT_DIR'] ?? path.join(tmpdir(), 'roster-console-screenshots')

/** Saves the whole page as `<name>.png` in SCREENSHOT_DIR and returns the file's path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/**
 * Starts the console fixture and a browser before a describe block's tests and closes both after them;
 * read `fixture` and `browser` inside tests (they exist once `before` has run).
 */
export function consoleInBrowser(): { readonly fixture: ConsoleFixture; readonly browser: Browser } {
  let fixture: ConsoleFixture | undefined
  let browser: Browser | undefined
  before(async () => {
    fixture = await startConsoleFixture()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await fixture?.close()
  })
  return {
    get fixture() { return fixture! },
    get browser() { return browser! },
  }
}
