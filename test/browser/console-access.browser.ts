import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { browserMissing, consoleInBrowser, saveScreenshot, signIn, watchForErrors } from './browser.js'

/** The focused element's accessible name, as near as the DOM tells it: aria-label, its label (less hidden parts), else its text. */
const focusedName = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }
  const label = el.labels?.[0]?.cloneNode(true) as HTMLElement | undefined
  label?.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove())
  return (el.getAttribute('aria-label') ?? label?.textContent ?? el.textContent ?? '').trim()
})

/** Presses Tab until the focused element's name matches, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, name: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (name.test(await focusedName(page))) return
  }
  assert.fail(`Tab never reached ${name}`)
}

/** Every control on the page with no accessible name, described for the failure message. */
// (No named functions inside evaluate: tsx would wrap them in a helper the page does not have.)
const unlabelled = (page: Page) => page.evaluate(() =>
  [...document.querySelectorAll('input, select, textarea, button, a[href], summary, [role="img"]')].filter((el) => {
    const own = el.getAttribute('aria-label') ?? ''
    const by = (el.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join('')
    const labels = [...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent).join('')
    const text = ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) ? el.textContent ?? '' : ''
    return (own + by + labels + text).trim() === ''
  }).map((el) => el.outerHTML.slice(0, 120)))

describe('admin console in Chromium: keyboard, small screens, labels, layout stability', { skip: browserMissing() ?? false }, () => {
  const session = consoleInBrowser()

  it('signs in, finds a user, opens them and suspends them with the keyboard alone', async () => {
    const page = await (await session.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    const errors = watchForErrors(page)
    await page.goto(`${session.fixture.url}/console/`)
    // The key field has focus as the page opens.
    assert.equal(await focusedName(page), 'Admin key')
    await page.keyboard.type(session.fixture.adminKey)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor()
    // Signed in, the reader starts at the page's heading.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1')
    await tabTo(page, /^Search$/)
    // Focus is drawn where it is (an outline of its own colour), for sighted keyboard users.
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'none')
    await page.keyboard.type('Stark')
    await page.keyboard.press('Enter')
    await page.getByText('Users 1–1, newest first.').waitFor()
    await tabTo(page, /^Stark Industries$/)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: /Stark Industries/ }).waitFor()
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1')

    await tabTo(page, /^Suspend…$/)
    await page.keyboard.press('Enter')
    assert.equal(await focusedName(page), 'Reason (optional, kept by roster)')
    await page.keyboard.type('Keyboard test')
    await tabTo(page, /^Suspend user$/, 3)
    await page.keyboard.press('Enter')
    await page.getByText('User account suspended successfully').waitFor()
    assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /suspended successfully/)
    await tabTo(page, /^Reactivate$/, 5)
    await page.keyboard.press('Enter')
    await page.getByText('User account reactivated successfully').waitFor()

    // A fresh load starts at the top, where the first Tab offers to skip the navigation.
    await page.reload()
    await page.getByRole('heading', { level: 1, name: /Stark Industries/ }).waitFor()
    await tabTo(page, /^Skip to content$/, 1)
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')
    await tabTo(page, /^‹ All users$/, 1)

    // The tenant page, from the navigation, by keyboard.
    await page.keyboard.press('Shift+Tab')
    await tabTo(page, /^Tenant$/)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 2, name: 'Admin keys' }).waitFor()
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1')
    assert.deepEqual(errors, [])
  })

  it('works 360 px wide: nothing scrolls sideways and every control is within reach', async (t) => {
    const page = await (await session.browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true })).newPage()
    const errors = watchForErrors(page)
    await signIn(page, session.fixture.url, session.fixture.adminKey)
    const overflow = async (where: string) => {
      const { scroll, offenders } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        offenders: [...document.querySelectorAll('button, a, input, select, textarea, svg')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && el.getClientRects().length > 0)
          .map((el) => el.outerHTML.slice(0, 80)),
      }))
      assert.ok(scroll <= 360, `${where}: the page is ${scroll}px wide`)
      assert.deepEqual(offenders, [], where)
    }
    await page.getByRole('link', { name: 'Acme Corporation' }).waitFor()
    await overflow('users')
    t.diagnostic(`screenshot: ${await saveScreenshot(page, 'users-360')}`)
    await page.getByRole('link', { name: 'Acme Corporation' }).click()
    await page.getByRole('img', { name: /^Requests per day/ }).waitFor()
    await page.getByText('Show the numbers as tables').click()
    await page.getByRole('button', { name: 'Edit details' }).click()
    await overflow('user page')
    t.diagnostic(`screenshot: ${await saveScreenshot(page, 'user-360')}`)
    await page.getByRole('link', { name: 'Tenant' }).click()
    await page.getByRole('img', { name: /^Top users by requests/ }).waitFor()
    await overflow('tenant page')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Admin key').waitFor()
    await overflow('sign-in')
    assert.deepEqual(errors, [])
  })

  it('labels every control, link and chart on every page', async () => {
    const page = await (await session.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await page.goto(`${session.fixture.url}/console/`)
    await page.getByLabel('Admin key').waitFor()
    assert.deepEqual(await unlabelled(page), [], 'sign-in')
    await signIn(page, session.fixture.url, session.fixture.adminKey)
    await page.getByRole('link', { name: 'Acme Corporation' }).waitFor()
    assert.deepEqual(await unlabelled(page), [], 'users')
    await page.getByRole('link', { name: 'Acme Corporation' }).click()
    await page.getByRole('img', { name: /^Units per day/ }).waitFor()
    await page.getByRole('button', { name: 'Suspend…' }).click()
    assert.deepEqual(await unlabelled(page), [], 'user page')
    await page.getByRole('button', { name: 'Edit details' }).click()
    assert.deepEqual(await unlabelled(page), [], 'user edit form')
    await page.getByRole('link', { name: 'Tenant' }).click()
    await page.getByRole('img', { name: /^Top users by requests/ }).waitFor()
    await page.getByRole('button', { name: 'Members of billing' }).click()
    await page.getByRole('link', { name: /api@acme\.example/ }).waitFor()
    assert.deepEqual(await unlabelled(page), [], 'tenant page')
  })

  for (const width of [1280, 360]) it(`does not shift the layout while pages load (${width} px wide)`, async () => {
    const context = await session.browser.newContext({ viewport: { width, height: 900 } })
    // Sums the layout-shift entries the page reports that no input caused (Chromium's Cumulative Layout Shift).
    await context.addInitScript(() => {
      const w = window as unknown as { shift: number }
      w.shift = 0
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) w.shift += entry.value
        }
      }).observe({ type: 'layout-shift', buffered: true })
    })
    const page = await context.newPage()
    await signIn(page, session.fixture.url, session.fixture.adminKey)
    const pages: [string, () => Promise<void>][] = [
      ['#/users', () => page.getByRole('link', { name: 'Acme Corporation' }).waitFor()],
      [`#/users/${session.fixture.acme.id}`, () => page.getByRole('img', { name: /^Units per day/ }).waitFor()],
      ['#/tenant', () => page.getByRole('img', { name: /^Top users by requests/ }).waitFor()],
    ]
    const shift = () => page.evaluate(() => (window as unknown as { shift: number }).shift)
    const painted = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    for (const [hash, loaded] of pages) {
      // A full load of each page from its address (a new document, so no earlier input counts), signed in from sessionStorage.
      await page.goto(`${session.fixture.url}/console/${hash}`)
      await page.reload()
      await loaded()
      await painted()
      assert.equal(await shift(), 0, `${hash} shifted while loading`)
    }
    // The measure itself sees a shift: content pushed down by something arriving above it.
    await page.evaluate(() => document.querySelector('main')!.prepend(Object.assign(document.createElement('div'), { className: 'skeleton-line' })))
    await painted()
    assert.ok((await shift()) > 0, 'the layout-shift measure saw nothing')
  })
})
