import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { browserMissing, consoleInBrowser, signIn, watchForErrors } from './browser.js'

const number = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''))

describe('admin console in Chromium: usage charts and credentials', { skip: browserMissing() ?? false }, () => {
  const session = consoleInBrowser()
  let page: Page
  let errors: string[]
  const openAcme = async () => {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    page = await context.newPage()
    errors = watchForErrors(page)
    await signIn(page, session.fixture.url, session.fixture.adminKey)
    await page.getByRole('link', { name: 'Acme Corporation' }).click()
    await page.getByRole('heading', { level: 2, name: 'Usage' }).waitFor()
  }

  it('draws this month’s daily requests and units as bar charts whose numbers the tables repeat', async () => {
    await openAcme()
    const days = new Date(Date.UTC(Number(session.fixture.monthStart.slice(0, 4)), Number(session.fixture.monthStart.slice(5, 7)), 0)).getUTCDate()
    const requestsChart = page.getByRole('img', { name: /^Requests per day, / })
    await requestsChart.waitFor()
    assert.equal(await requestsChart.locator('rect.bar').count(), days)
    const busiest = Number(session.fixture.acme.busiestDay.slice(8))
    // The highest bar is written out, so it reads without colour or hovering.
    assert.equal(await requestsChart.locator('text.peak').textContent(), String(session.fixture.acme.busiestRequests))
    assert.match((await requestsChart.getAttribute('aria-label'))!, new RegExp(`highest ${session.fixture.acme.busiestRequests} requests`))
    assert.match((await requestsChart.locator('rect.bar').nth(busiest - 1).locator('title').textContent())!, new RegExp(`: ${session.fixture.acme.busiestRequests} requests$`))
    await page.getByRole('img', { name: /^Units per day, / }).waitFor()
    assert.equal(number(await page.locator('.totals strong').first().textContent()), session.fixture.acme.requests)

    await page.getByText('Show the numbers as tables').click()
    const daily = page.getByRole('table', { name: /^Daily usage, / })
    assert.equal(await daily.locator('tbody tr').count(), days)
    const total = daily.locator('tfoot td')
    assert.deepEqual([number(await total.nth(0).textContent()), number(await total.nth(1).textContent())], [session.fixture.acme.requests, session.fixture.acme.units])
    assert.equal(number(await daily.locator('tbody tr').nth(busiest - 1).locator('td').first().textContent()), session.fixture.acme.busiestRequests)
    const byCredential = page.getByRole('table', { name: /^By credential, / })
    assert.deepEqual((await byCredential.locator('tbody th').allTextContents()).sort(), ['production', 'staging'])

    // The month before has no usage; the period lives in the address.
    await page.getByRole('button', { name: '‹ Previous month' }).click()
    await page.getByText(/^0 requests and 0 units in /).waitFor()
    assert.match(page.url(), /\?month=\d{4}-\d{2}$/)
    assert.match((await page.getByRole('img', { name: /^Requests per day, / }).getAttribute('aria-label'))!, /no requests in this period/)
    await page.getByRole('button', { name: 'Next month ›' }).click()
    // This month's figures, not the month before's zeros still on screen; the way forward ends here.
    await page.getByText(/^[1-9][\d,]* requests and [\d,]+ units in /).waitFor()
    await page.getByRole('button', { name: 'Next month ›', disabled: true }).waitFor()
    assert.deepEqual(errors, [])
  })

  it('creates a credential whose secret is shown once, with a copy button and a warning, then revokes it', async () => {
    await openAcme()
    await page.getByRole('form', { name: 'New credential' }).getByLabel('Name').fill('ci runner')
    await page.getByRole('button', { name: 'Create credential' }).click()
    const panel = page.getByRole('region', { name: 'Your new credential' })
    await panel.waitFor()
    await panel.getByText('Copy it now: roster shows it only this once').waitFor()
    const secret = await panel.getByLabel('Credential (secret)').inputValue()
    assert.match(secret, /^rsk_live_\w+/)
    await panel.getByRole('button', { name: 'Copy' }).click()
    await panel.getByText('Copied to the clipboard.').waitFor()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret)
    // The secret is the real one: it verifies.
    assert.equal((await session.fixture.roster.credentials.verify(secret, { units: 0 })).valid, true)

    await panel.getByRole('button', { name: 'I have stored it: hide it' }).click()
    assert.equal((await page.content()).includes(secret), false)
    await page.reload()
    await page.getByRole('heading', { level: 2, name: 'Credentials' }).waitFor()
    assert.equal((await page.content()).includes(secret), false)

    const row = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'ci runner' }) })
    assert.match((await row.locator('td[data-label="Last used"]').textContent())!, /UTC$/)
    await row.getByRole('button', { name: 'Revoke ci runner' }).click()
    await row.getByRole('button', { name: 'Yes, revoke' }).click()
    await page.getByText('Credential “ci runner” revoked: it no longer verifies.').waitFor()
    await page.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'ci runner' }) }).locator('.badge-revoked').waitFor()
    assert.deepEqual((await session.fixture.roster.credentials.verify(secret)), { valid: false, reason: 'revoked' })
    assert.deepEqual(errors, [])
  })

  it('names a missing credential name in words beside the field', async () => {
    await openAcme()
    await page.getByRole('button', { name: 'Create credential' }).click()
    const name = page.getByRole('form', { name: 'New credential' }).getByLabel('Name')
    await page.locator('[aria-invalid="true"]').waitFor()
    const message = await page.locator(`[id="${(await name.getAttribute('aria-describedby'))!.split(' ').pop()}"]`).textContent()
    assert.match(message!, /\bname\b/i)
    assert.equal(await name.getAttribute('aria-invalid'), 'true')
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'name')
  })
})
