/**
 * The province dashboard in a real Chromium against the real server and the demo province: a viewer
 * signs in once, reads the roll-up online, then reads the same figures with the network gone, from
 * IndexedDB and the precached charts chunk; and takes them away as a CSV, the trend chart as an
 * image and the printable report, with or without the network.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { buildDemo, DEMO_PROVINCE_CODE } from '../../src/domain/demo.ts'
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
import { asCsv, csvSections, downloadFrom, pngSize, type CsvSection } from './downloads.ts'

const { current } = inject('builds')
const server = new ShellServer()
let profile: Profile
let url: string
/** Nine months of 2025 cross the reform: districts until June, communes under the province after. */
const END: Month = '2025-09'

/** The province's digitization over `months`, worked out from the demo data by the domain code. */
function expectedRatio(months: Month[]): ReturnType<typeof tallyRatio> {
  const demo = buildDemo({ endMonth: END })
  const result = rollup(buildDataset(demo.units, demo.entries), DEMO_PROVINCE_CODE, months)
  return tallyRatio(result.total, DIGITIZATION)
}

/** What the dashboard must say. */
function expectedHeadline(months: Month[], levels: number): string {
  const ratio = expectedRatio(months)
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

/**
 * Signs the province viewer in on a fresh profile and opens the dashboard from the nav, which
 * shows the viewer's province and the latest month's year to date by default; returns once the
 * first sync has brought the figures.
 */
async function signInToDashboard(page: Page): Promise<void> {
  await page.goto(`${url}login`)
  await waitForServiceWorker(page)
  await page.getByLabel('Tên đăng nhập').fill('tinh')
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL((address) => !address.pathname.startsWith('/login'))
  await page.getByRole('link', { name: 'Tiến độ' }).click()
  await expect
    .poll(() => page.getByTestId('headline-sentence').textContent(), { timeout: 30_000 })
    .toBe(expectedHeadline(yearToDate(END), 3))
  expect(new URL(page.url()).pathname).toBe('/dashboard')
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
    await signInToDashboard(page)
    const headline = page.getByTestId('headline-sentence')
    const expected = expectedHeadline(yearToDate(END), 3)
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

/** A table as the screen shows it, read by role: the header cells, then each row's cells. */
async function shownTable(table: Locator): Promise<string[][]> {
  const rows: string[][] = []
  for (const row of await table.getByRole('row').all()) {
    const cells = row
      .getByRole('columnheader')
      .or(row.getByRole('rowheader'))
      .or(row.getByRole('cell'))
    rows.push((await cells.allTextContents()).map((text) => text.trim()))
  }
  return rows
}

/** The ranking as shown: each unit's name, rate and assessment (without its ✓ ! · mark). */
async function shownRanking(page: Page): Promise<string[][]> {
  const items = page.getByRole('region', { name: 'Các đơn vị trực thuộc' }).getByRole('listitem')
  const [names, rates, statuses] = await Promise.all([
    items.locator('.ranking__name').allTextContents(),
    items.locator('.ranking__rate').allTextContents(),
    items.getByTestId('ranking-status').allTextContents(),
  ])
  return names.map((name, i) => [
    name.trim(),
    rates[i]!.trim(),
    statuses[i]!.replace(/^\s*[✓!·]/u, '').trim(),
  ])
}

/** The columns of a CSV section named by `labels`, row by row. */
function csvColumns(section: CsvSection, labels: string[]): string[][] {
  const indexes = labels.map((label) => {
    const index = section.header.indexOf(label)
    if (index < 0) throw new Error(`No column "${label}" in ${section.header.join(', ')}`)
    return index
  })
  return section.rows.map((row) => indexes.map((index) => row[index]!))
}

/** How many pixels of a PNG are not white, and how many colours it has, decoded by the browser. */
function pngPixels(page: Page, png: Buffer): Promise<{ painted: number; colours: number }> {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }))
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
    const context = canvas.getContext('2d')!
    context.drawImage(bitmap, 0, 0)
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height)
    const colours = new Set<number>()
    let painted = 0
    for (let i = 0; i < data.length; i += 4) {
      const rgb = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!
      colours.add(rgb)
      if (rgb !== 0xffffff) painted += 1
    }
    return { painted, colours: colours.size }
  }, png.toString('base64'))
}

describe('exports from the dashboard', () => {
  /** The dashboard's default period, as addresses and file names spell it. */
  const PERIOD = `ytd-${END}`
  const FILE = `sohoa-${DEMO_PROVINCE_CODE}-${PERIOD}`
  let exportProfile: Profile | undefined
  let context: BrowserContext | undefined
  let page: Page
  let csv: Buffer
  let levels: string[][]

  beforeAll(async () => {
    // The test above takes the server away; it comes back on the same port with the same data.
    url = await server.start(current.dir)
    exportProfile = await makeProfile()
    context = await launchBrowser(exportProfile)
    page = await firstPage(context)
  })
  afterAll(async () => {
    await context?.close()
    await exportProfile?.remove()
  })

  it('downloads a CSV holding the levels and the ranking the screen shows', async () => {
    await signInToDashboard(page)
    const group = page.getByRole('group', { name: 'Xuất dữ liệu' })
    const { download, bytes } = await downloadFrom(page, 'Xuất CSV', group)
    expect(download.suggestedFilename()).toBe(`${FILE}.csv`)
    await expect
      .poll(() => group.getByRole('status').textContent())
      .toContain(`Đã tạo tệp ${FILE}.csv.`)
    csv = bytes

    const sections = csvSections(bytes)
    expect(sections.slice(0, 2).map((section) => section.title)).toEqual([
      'Theo cấp chính quyền',
      'Các đơn vị trực thuộc',
    ])
    const section = (title: string): CsvSection => {
      const found = sections.find((candidate) => candidate.title === title)
      if (!found) throw new Error(`No section "${title}" in the CSV`)
      return found
    }

    // By level: the same cells as the screen's table, the numbers written machine-readably.
    levels = await shownTable(page.getByTestId('levels-table'))
    const byLevel = section('Theo cấp chính quyền')
    expect(byLevel.header.map((label) => label.replace(' (%)', ''))).toEqual(levels[0])
    expect(byLevel.rows).toEqual(levels.slice(1).map((row) => row.map(asCsv)))
    expect(
      csvColumns(byLevel, ['Cấp', 'Hồ sơ tiếp nhận', 'Hồ sơ đã số hoá', 'Tỷ lệ (%)']).map(
        ([level]) => level,
      ),
    ).toEqual(['Cấp tỉnh', 'Cấp huyện', 'Cấp xã'])
    // …and they add up to the province's total as the domain computes it.
    const digitized = csvColumns(byLevel, ['Hồ sơ đã số hoá']).map(([n]) => Number(n))
    expect(digitized.reduce((sum, n) => sum + n, 0)).toBe(expectedRatio(yearToDate(END)).numerator)

    // The ranking: every unit in the screen's order, with the rate and assessment it shows.
    const ranking = await shownRanking(page)
    expect(ranking.length).toBeGreaterThan(2)
    expect(
      csvColumns(section('Các đơn vị trực thuộc'), ['Đơn vị', 'Tỷ lệ (%)', 'Đánh giá']),
    ).toEqual(ranking.map(([name, rate, status]) => [name, asCsv(rate!), status]))

    // The table by year, too, is the screen's.
    const years = await shownTable(page.getByTestId('years-table'))
    expect(section('Theo năm').rows).toEqual(years.slice(1).map((row) => row.map(asCsv)))
  })

  it('downloads the trend chart as a PNG where the browser cannot share files', async () => {
    // Headless Chromium on Linux has no share sheet for files: the fallback is what runs here.
    const canShareFiles = await page.evaluate(() => {
      const file = new File([new Uint8Array(8)], 'chart.png', { type: 'image/png' })
      return typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] })
    })
    expect(canShareFiles).toBe(false)
    await expect.poll(() => paintedPixels(page, 'trend')).toBeGreaterThan(2_000)
    const chart = await page
      .locator('[data-chart="trend"]')
      .getByRole('img')
      .evaluate((canvas) => {
        const box = canvas.getBoundingClientRect()
        return canvas instanceof HTMLCanvasElement
          ? { width: canvas.width, height: canvas.height, box, ratio: devicePixelRatio }
          : null
      })
    expect(chart).not.toBe(null)

    const group = page.getByRole('group', { name: 'Xuất dữ liệu' })
    const { download, bytes } = await downloadFrom(page, 'Chia sẻ biểu đồ', group)
    expect(download.suggestedFilename()).toBe(`${FILE}.png`)
    await expect
      .poll(() => group.getByRole('status').textContent())
      .toContain(`Đã tạo tệp ${FILE}.png.`)
    expect(bytes.length).toBeGreaterThan(5_000)
    // Drawn at the canvas's own resolution: its size on screen times the device pixel ratio.
    const size = pngSize(bytes)
    expect(size).toEqual({ width: chart!.width, height: chart!.height })
    expect(Math.abs(size!.width - chart!.box.width * chart!.ratio)).toBeLessThanOrEqual(1)
    expect(Math.abs(size!.height - chart!.box.height * chart!.ratio)).toBeLessThanOrEqual(1)
    // A picture, not a blank: bars and lines on white.
    const pixels = await pngPixels(page, bytes)
    expect(pixels.painted).toBeGreaterThan(2_000)
    expect(pixels.colours).toBeGreaterThan(2)
  })

  it('downloads the same CSV with the network gone', async () => {
    await context!.setOffline(true)
    try {
      expect(await page.evaluate(() => navigator.onLine)).toBe(false)
      const { download, bytes } = await downloadFrom(
        page,
        'Xuất CSV',
        page.getByRole('group', { name: 'Xuất dữ liệu' }),
      )
      expect(download.suggestedFilename()).toBe(`${FILE}.csv`)
      expect(bytes.equals(csv)).toBe(true)
    } finally {
      await context!.setOffline(false)
    }
  })

  it('opens the printable report of the same unit and period, offline too', async () => {
    await context!.setOffline(true)
    try {
      await page.getByRole('link', { name: 'Xem báo cáo để in' }).click()
      await page.waitForURL((address) => address.pathname === '/report')
      const query = new URL(page.url()).searchParams
      expect(query.get('unit')).toBe(DEMO_PROVINCE_CODE)
      expect(query.get('period')).toBe(PERIOD)

      const heading = page.getByRole('heading', { level: 1 })
      await expect
        .poll(() => heading.textContent())
        .toMatch(/^\s*BÁO CÁO\s+Kết quả số hoá hồ sơ.* 9 tháng đầu năm 2025\s*$/u)
      // The issuer at the head of the document is the province, as official reports write it.
      expect(await page.locator('article header').textContent()).toContain('TỈNH SƠN HOÀ (MẪU)')
      expect(await page.getByRole('combobox', { name: 'Đơn vị' }).inputValue()).toBe(
        DEMO_PROVINCE_CODE,
      )
      expect(await page.getByRole('combobox', { name: 'Kỳ báo cáo' }).inputValue()).toBe(PERIOD)
      // The same figures by level as the dashboard showed, then their total.
      const report = await shownTable(page.getByRole('region', { name: 'Theo cấp chính quyền' }))
      expect(report.slice(1, -1)).toEqual(levels.slice(1).map((row) => row.slice(0, 4)))
      expect(report.at(-1)![0]).toBe('Tổng cộng')
      await screenshot(page, 'dashboard-report-offline')
    } finally {
      await context!.setOffline(false)
    }
  })
})
