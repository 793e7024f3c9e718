import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { browserMissing, consoleInBrowser, saveScreenshot, signIn, watchForErrors } from './browser.js'

describe('admin console in Chromium: users', { skip: browserMissing() ?? false }, () => {
  const session = consoleInBrowser()
  let page: Page
  let errors: string[]
  // A fresh browser context per test: its own sessionStorage, so each test signs in for itself.
  const open = async () => {
    page = await (await session.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    errors = watchForErrors(page)
    await signIn(page, session.fixture.url, session.fixture.adminKey)
    return page
  }
  const noErrors = () => assert.deepEqual(errors, [], 'the page reported errors (CSP violations, exceptions)')

  it('signs in with an admin key kept in sessionStorage only, and signs out forgetting it', async () => {
    await open()
    assert.equal(await page.evaluate(() => sessionStorage.getItem('roster-console-key')), session.fixture.adminKey)
    assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0)
    await page.getByText('Users 1–50 of 64, newest first.').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in to the roster console' }).waitFor()
    assert.equal(await page.evaluate(() => sessionStorage.length), 0)
    await page.reload()
    await page.getByLabel('Admin key').waitFor()
    noErrors()
  })

  it('refuses a wrong key, a user credential and the bootstrap key, saying why beside the field', async () => {
    page = await session.browser.newPage()
    errors = watchForErrors(page)
    await page.goto(`${session.fixture.url}/console/`)
    const key = page.getByLabel('Admin key')
    await key.fill('rsk_admin_notARealKey')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Invalid or revoked API key. Check that the whole key was pasted').waitFor()
    assert.equal(await key.getAttribute('aria-invalid'), 'true')
    const host = session.fixture.roster.principals.tenant(session.fixture.tenantId as never)
    const credential = await session.fixture.roster.credentials.create(host, session.fixture.acme.id, { name: 'pasted by mistake' })
    await key.fill(credential.secret)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('This is a user credential (rsk_live_…): the console needs an admin key (rsk_admin_…).').waitFor()
    await session.fixture.roster.credentials.revoke(host, credential.id)
    await key.fill('test-bootstrap-key-0123456789abcdefghij')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Bootstrap key cannot manage keys. Create an admin key first.').waitFor()
    assert.equal(await page.evaluate(() => sessionStorage.length), 0)
    // The browser logs each refused request (401, 400, 403) as a console error; those are the answers this test wants.
    assert.ok(errors.every((e) => /Failed to load resource: the server responded with a status of (401|400|403)/.test(e)), errors.join('\n'))
  })

  it('searches, filters by status and plan, and pages by cursor', async (t) => {
    await open()
    await page.getByRole('link', { name: 'Acme Corporation' }).waitFor()
    t.diagnostic(`screenshot: ${await saveScreenshot(page, 'users')}`)
    await page.getByLabel('Search').fill('globex')
    await page.getByRole('button', { name: 'Search' }).click()
    // A text search has no counter behind it, so the console shows no total rather than asking for a count.
    await page.getByText('Users 1–1, newest first.').waitFor()
    assert.deepEqual(await page.locator('tbody th a').allTextContents(), ['Globex'])
    assert.match(page.url(), /#\/users\?q=globex$/)

    const clear = async () => {
      await page.getByRole('link', { name: 'Clear' }).click()
      await page.getByText('Users 1–50 of 64, newest first.').waitFor()
    }
    await clear()
    await page.getByLabel('Status').selectOption('suspended')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText('Users 1–1 of 1, newest first.').waitFor()
    assert.deepEqual(await page.locator('tbody th a').allTextContents(), ['Initech'])

    await clear()
    await page.getByLabel('Billing plan').fill('enterprise')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText(/^Users 1–2\d, newest first\.$/).waitFor()
    const plans = await page.locator('td[data-label="Plan"]').allTextContents()
    assert.ok(plans.length > 20 && plans.every((p) => p === 'enterprise'), plans.join(','))

    await clear()
    await page.getByRole('link', { name: 'Next ›' }).click()
    await page.getByText('Users 51–64 of 64, newest first.').waitFor()
    assert.match(page.url(), /cursor=[\w-]+&page=2/)
    assert.equal(await page.getByRole('link', { name: 'Next ›' }).count(), 0)
    await page.getByRole('link', { name: '‹ Previous' }).click()
    await page.getByText('Users 1–50 of 64, newest first.').waitFor()
    assert.equal(await page.locator('tbody th a').first().textContent(), 'Acme Corporation')
    noErrors()
  })

  it('opens a user: every field, metadata as formatted JSON, status badge', async (t) => {
    await open()
    await page.getByRole('link', { name: 'Acme Corporation' }).click()
    await page.getByRole('heading', { level: 1, name: /Acme Corporation/ }).waitFor()
    const fields = Object.fromEntries(await page.locator('.fields .field-row').evaluateAll((rows) =>
      rows.map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent])))
    assert.equal(fields['Id'], session.fixture.acme.id)
    assert.equal(fields['External id'], 'cust_abc123')
    assert.equal(fields['Email'], 'api@acme.example')
    assert.equal(fields['Billing plan'], 'pro')
    assert.equal(fields['Tenant'], 'Northwind Traders')
    assert.match(fields['Status'] ?? '', /Active/)
    const metadata = await page.getByLabel('Metadata as JSON').textContent()
    assert.deepEqual(JSON.parse(metadata!), { tier: 'enterprise', signup_source: 'referral', contacts: ['ada@acme.example'] })
    assert.match(metadata!, /\n {2}"tier": "enterprise",\n/)
    await page.getByRole('img', { name: /^Units per day, / }).waitFor()
    t.diagnostic(`screenshot: ${await saveScreenshot(page, 'user')}`)
    noErrors()
  })

  it('suspends with a reason and reactivates, the badge following', async () => {
    await open()
    await page.getByRole('link', { name: 'Stark Industries' }).click()
    await page.getByRole('button', { name: 'Suspend…' }).click()
    await page.getByLabel('Reason (optional, kept by roster)').fill('Chargeback under review')
    await page.getByRole('button', { name: 'Suspend user' }).click()
    await page.getByText('User account suspended successfully').waitFor()
    await page.locator('h1 .badge-suspended').waitFor()
    const stark = (await session.fixture.roster.users.list(session.fixture.roster.principals.tenant(session.fixture.tenantId as never), { q: 'Stark' })).users[0]!
    assert.deepEqual([stark.status, stark.suspendedReason], ['suspended', 'Chargeback under review'])

    await page.getByRole('button', { name: 'Reactivate' }).click()
    await page.getByText('User account reactivated successfully').waitFor()
    await page.locator('h1 .badge-active').waitFor()
    noErrors()
  })

  it('edits a user, putting the API’s validation message beside the field it names', async () => {
    await open()
    await page.getByLabel('Search').fill('Customer 03')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('link', { name: 'Customer 03' }).click()
    await page.getByRole('button', { name: 'Edit details' }).click()
    const email = page.getByLabel('Email', { exact: true })
    await email.fill('not an email')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByText('email must be a valid email address').waitFor()
    // Beside the field, and tied to it: the field is invalid and described by the message.
    const describedBy = (await email.getAttribute('aria-describedby')) ?? ''
    assert.equal(await page.locator(`[id="${describedBy}"]`).textContent(), 'email must be a valid email address')
    assert.equal(await email.getAttribute('aria-invalid'), 'true')
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email')

    await email.fill('api@globex.example'.replace('api', 'dev'))
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByText('A user with this email already exists').waitFor()
    assert.equal(await email.getAttribute('aria-invalid'), 'true')

    await email.fill('billing@customer03.example')
    await page.getByLabel('Billing plan').fill('enterprise')
    await page.getByLabel('Metadata').fill('{"batch": "import-2026", "seats": 12}')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByText('Changes saved.').waitFor()
    const fields = await page.locator('.fields').textContent()
    assert.match(fields!, /billing@customer03\.example/)
    assert.deepEqual(JSON.parse((await page.getByLabel('Metadata as JSON').textContent())!), { batch: 'import-2026', seats: 12 })
    // The browser logs the two refused PATCHes (400, 409); nothing else may appear.
    assert.ok(errors.every((e) => /status of (400|409)/.test(e)), errors.join('\n'))
  })
})
