import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import type { Permission } from '../../src/index.js'
import { browserMissing, consoleInBrowser, saveScreenshot, watchForErrors } from './browser.js'

describe('admin console in Chromium: the tenant page and narrow keys', { skip: browserMissing() ?? false }, () => {
  const session = consoleInBrowser()
  let page: Page
  let errors: string[]
  const open = async (key = session.fixture.adminKey) => {
    page = await (await session.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    errors = watchForErrors(page)
    await page.goto(`${session.fixture.url}/console/`)
    await page.getByLabel('Admin key').fill(key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor()
  }
  const tenantPage = async () => {
    await page.getByRole('link', { name: 'Tenant' }).click()
    await page.getByRole('heading', { level: 2, name: 'Admin keys' }).waitFor()
  }
  const narrowKey = async (name: string, permissions: Permission[]) => {
    const admin = await session.fixture.roster.authenticate(session.fixture.adminKey)
    return (await session.fixture.roster.keys.create(admin, { name, permissions })).secret
  }

  it('shows the usage summary: totals, the top users as a chart, and the same as a table', async (t) => {
    await open()
    await tenantPage()
    await page.getByRole('heading', { level: 1, name: 'Northwind Traders' }).waitFor()
    const summary = (await session.fixture.roster.usage.summary(session.fixture.roster.principals.tenant(session.fixture.tenantId as never), { limit: 10 }))
    const stats = await page.locator('.stat dd').allTextContents()
    assert.deepEqual(stats.map((s) => Number(s.replace(/,/g, ''))), [summary.totals.requests, summary.totals.units, summary.total])
    const chart = page.getByRole('img', { name: /^Top users by requests, / })
    await chart.waitFor()
    assert.deepEqual(await chart.locator('text.row-label').allTextContents(),
      ['1. Acme Corporation', '2. Globex', '3. Stark Industries', '4. Customer 07', '5. Customer 12'])
    assert.equal(await chart.locator('text.row-value').first().textContent(), `${session.fixture.acme.requests.toLocaleString('en')} requests`)
    t.diagnostic(`screenshot: ${await saveScreenshot(page, 'tenant')}`)
    const rows = page.getByRole('table', { name: /^Top users, / }).locator('tbody tr')
    assert.equal(await rows.count(), 5)
    assert.equal(await rows.first().locator('td[data-label="Requests"]').textContent(), session.fixture.acme.requests.toLocaleString('en'))
    await rows.first().getByRole('link', { name: 'Acme Corporation' }).click()
    await page.getByRole('heading', { level: 1, name: /Acme Corporation/ }).waitFor()
    assert.deepEqual(errors, [])
  })

  it('creates an admin key with chosen permissions, its secret shown once, and revokes it', async () => {
    await open()
    await tenantPage()
    const form = page.getByRole('form', { name: 'New admin key' })
    await form.getByLabel('Name').fill('Support desk')
    for (const permission of ['manage_credentials', 'record_usage', 'manage_roles', 'manage_keys', 'view_audit']) await form.getByLabel(permission).uncheck()
    await form.getByRole('button', { name: 'Create key' }).click()
    const panel = page.getByRole('region', { name: 'Your new admin key' })
    const secret = await panel.getByLabel('Admin key (secret)').inputValue()
    assert.match(secret, /^rsk_admin_/)
    const principal = await session.fixture.roster.authenticate(secret)
    assert.ok(principal.kind === 'admin')
    assert.deepEqual([...principal.permissions].sort(), ['manage_groups', 'manage_users'])
    const row = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'Support desk' }) })
    await row.waitFor()
    assert.deepEqual(await row.locator('td[data-label="Permissions"] li').allTextContents(), ['manage_users', 'manage_groups'])
    await panel.getByRole('button', { name: 'I have stored it: hide it' }).click()
    assert.equal((await page.content()).includes(secret), false)

    await row.getByRole('button', { name: 'Revoke Support desk' }).click()
    await row.getByRole('button', { name: 'Yes, revoke' }).click()
    await page.getByText('Key “Support desk” revoked: requests with it are refused from now on.').waitFor()
    await assert.rejects(session.fixture.roster.authenticate(secret))
    assert.deepEqual(errors, [])
  })

  it('shows the key policy’s refusal in words when revoking the last manage_keys key', async () => {
    await open()
    await tenantPage()
    const row = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: /^Admin key/ }) })
    await row.getByText('this key').waitFor()
    await row.getByRole('button', { name: 'Revoke Admin key' }).click()
    await row.getByText('It is the key you are signed in with').waitFor()
    await row.getByRole('button', { name: 'Yes, revoke' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'was not revoked' })
    await alert.getByText('Cannot revoke the last active key holding manage_keys: create another key with manage_keys first').waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert')
    await session.fixture.roster.authenticate(session.fixture.adminKey)
  })

  it('lists roles and groups with their members', async () => {
    await open()
    await tenantPage()
    await page.getByRole('button', { name: 'Members of billing' }).click()
    const billing = page.locator('.member-disclosure', { has: page.getByRole('button', { name: 'Members of billing' }) })
    await billing.getByRole('link', { name: 'api@acme.example' }).waitFor()
    assert.deepEqual((await billing.locator('li a').allTextContents()).sort(), ['Acme Corporation · api@acme.example', 'Globex · dev@globex.example'])
    assert.equal(await page.getByRole('button', { name: 'Members of billing' }).getAttribute('aria-expanded'), 'true')
    await page.getByRole('button', { name: 'Members of Enterprise accounts' }).click()
    await page.getByRole('link', { name: 'api@stark.example' }).waitFor()
    // The audit log's newest changes, as the API lists them.
    const audit = page.getByRole('region', { name: 'Audit log' }).getByRole('table', { name: 'The 20 most recent changes' })
    await audit.waitFor()
    const admin = await session.fixture.roster.authenticate(session.fixture.adminKey)
    const newest = (await session.fixture.roster.audit.list(admin, { limit: 20 })).entries
    assert.deepEqual(await audit.locator('tbody th').allTextContents(), newest.map((entry) => entry.action))
    assert.match((await audit.locator('tbody tr').first().locator('td[data-label="By"]').textContent())!, new RegExp(`\\(${newest[0]!.surface}\\)$`))
    await page.getByRole('link', { name: 'ops@umbrella.example' }).click()
    await page.getByText('Users 1–1, newest first.').waitFor()
    assert.deepEqual(await page.locator('tbody th a').allTextContents(), ['Umbrella Health'])
    assert.deepEqual(errors, [])
  })

  it('a key without manage_users sees what it may, and a plain message for the rest', async () => {
    await open(await narrowKey('Groups only', ['manage_keys', 'manage_groups']))
    await page.getByText('Your key cannot see users. roster said: Permission denied: manage_users required').waitFor()
    await tenantPage()
    await page.getByText('Your key cannot see the usage summary. roster said: Permission denied: manage_users required').waitFor()
    await page.getByText('Your key cannot see roles.').waitFor()
    await page.getByRole('region', { name: 'Audit log' }).getByText('Your key cannot see the audit log. roster said: Permission denied: view_audit required').waitFor()
    await page.getByRole('rowheader', { name: /^Groups only/ }).waitFor()
    await page.getByRole('button', { name: 'Members of Enterprise accounts' }).click()
    await page.getByText('Your key cannot see the members of this group. roster said: Permission denied: manage_users required').waitFor()
  })

  it('signs out, saying why, when roster stops accepting the key mid-session', async () => {
    await open(await narrowKey('Short-lived', ['manage_users']))
    const admin = await session.fixture.roster.authenticate(session.fixture.adminKey)
    const key = (await session.fixture.roster.keys.list(admin)).find((k) => k.name === 'Short-lived')!
    await session.fixture.roster.keys.revoke(admin, key.id)
    await page.getByRole('link', { name: 'Acme Corporation' }).click()
    await page.getByRole('alert').getByText('You were signed out. Invalid or revoked API key').waitFor()
    await page.getByLabel('Admin key').waitFor()
    assert.equal(await page.evaluate(() => sessionStorage.length), 0)
  })

  it('a key that may not list keys or users is asked for its account id to see groups', async () => {
    await open(await narrowKey('Groups alone', ['manage_groups']))
    await tenantPage()
    await page.getByText('Your key cannot see admin keys. roster said: Permission denied: manage_keys required').waitFor()
    assert.equal(await page.getByRole('form', { name: 'New admin key' }).count(), 0)
    await page.getByLabel('Account id').fill(session.fixture.tenantId)
    await page.getByRole('button', { name: 'Show groups' }).click()
    await page.getByRole('heading', { level: 3, name: 'Enterprise accounts' }).waitFor()
  })
})
