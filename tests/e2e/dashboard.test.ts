/**
 * The province dashboard in a real Chromium against the real server and the demo province: a viewer
 * signs in once, reads the roll-up online, then reads the same figures with the network gone, from
 * IndexedDB and the precached charts chunk.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Page } from 'playwright-core'
import { buildDemo } from '../../src/domain/demo.ts'
import { formatCount, formatRate } from '../../src/domain/format.ts'
import { DIGITIZATION } from '../../src/domain/indicators.ts'
import { monthRange, yearToDate, type Month } from '../../src/domain/periods.ts'
import { buildDataset, rollup } from '../../src/domain/rollup.ts'
import { tallyRatio } from '../../src/domain/tally.ts'
import { DEMO_PASSWORD, loadDemo } from '../../src/server/seed.ts'
import {
  firstPage,
  launchBrowser,
  makeProfile,
  recordCspViolations,
  screenshot,
  ShellServer,
  waitForServiceWorker,
  type Profile,
} from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
let profile: Profile
let url: string
/** Nine months of 2025 cross the reform: districts until June, communes under the province after. */
const END: Month = '2025-09'

/** What the dashboard must say, worked out from the demo data by the domain code. */
function expectedHeadline(months: Month[], levels: number): string {
  const demo = buildDemo({ endMonth: END })
  const result = rollup(buildDataset(demo.units, demo.entries), '99', months)
  const ratio = tallyRatio(result.total, DIGITIZATION)
  return `Số hoá hồ sơ TTHC của ${levels} cấp chính quyền: ${formatCount(ratio.numerator)} hồ sơ, đạt tỷ lệ ${formatRate(ratio.rate)}`
}

/** How many pixels of the chart's canvas are painted. */
function paintedPixels(page: Page, chart: string): Promise<number> {
  return page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-chart="${id}"] canvas`)
    const context = canvas?.getContext('2d')
    if (!canvas || !context || canvas.width === 0 || canvas.height === 0) return 0
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    let painted = 0
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1
    return painted
  }, chart)
}

beforeAll(async () => {
  profile = await makeProfile()
  url = await server.start(current.dir)
  await loadDemo(server.db, { endMonth: END })
})
afterAll(async () => {
  await server.dispose()
  await profile.remove()
})

it('a province viewer reads the same dashboard online and offline', async () => {
  const context = await launchBrowser(profile)
  const csp = recordCspViolations(context)
  try {
    const page = await firstPage(context)
    await page.goto(`${url}login`)
    await waitForServiceWorker(page)
    await page.getByLabel('Tên đăng nhập').fill('tinh')
    await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL((address) => !address.pathname.startsWith('/login'))

    // The nav leads there; the viewer's province and the latest month's year to date by default.
    await page.getByRole('link', { name: 'Tiến độ' }).click()
    const headline = page.getByTestId('headline-sentence')
    const expected = expectedHeadline(yearToDate(END), 3)
    await expect.poll(() => headline.textContent(), { timeout: 30_000 }).toBe(expected)
    expect(new URL(page.url()).pathname).toBe('/dashboard')
    await expect.poll(() => page.getByTestId('reform-notice').isVisible()).toBe(true)
    await expect.poll(() => paintedPixels(page, 'trend')).toBeGreaterThan(2_000)
    await screenshot(page, 'dashboard-province-online')

    // Into a unit below and back up through the breadcrumb.
    const first = page.locator('.ranking__link').first()
    const name = (await first.locator('.ranking__name').textContent())?.trim() ?? ''
    await first.click()
    await expect.poll(() => new URL(page.url()).searchParams.get('unit')).not.toBe(null)
    await expect
      .poll(() => page.getByRole('navigation', { name: 'Cấp hành chính' }).textContent())
      .toContain(name)
    await page
      .getByRole('navigation', { name: 'Cấp hành chính' })
      .getByRole('link', { name: 'Tỉnh Sơn Hoà (mẫu)' })
      .click()
    await expect.poll(() => headline.textContent()).toBe(expected)
    const address = page.url()

    // No network at all: the reload comes from the service worker, the figures from IndexedDB.
    await server.stop()
    await context.setOffline(true)
    await page.reload()
    await expect.poll(() => headline.textContent(), { timeout: 30_000 }).toBe(expected)
    expect(page.url()).toBe(address)
    expect(await page.evaluate(() => navigator.onLine)).toBe(false)
    await expect.poll(() => paintedPixels(page, 'trend')).toBeGreaterThan(2_000)
    await screenshot(page, 'dashboard-province-offline')

    // Still offline, the third quarter: after the reform, two levels of government.
    await page.getByRole('combobox', { name: 'Loại kỳ' }).selectOption({ label: 'Quý' })
    await expect.poll(() => new URL(page.url()).searchParams.get('period')).toBe('2025-Q3')
    await expect
      .poll(() => headline.textContent())
      .toBe(expectedHeadline(monthRange('2025-07', '2025-09'), 2))
    expect(await page.getByTestId('reform-notice').count()).toBe(0)
    expect(csp).toEqual([])
  } finally {
    await context.close()
  }
})
