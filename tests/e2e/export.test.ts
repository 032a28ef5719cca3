/**
 * The printable report and its exports in a real Chromium against the real server: the CSV and the
 * workbook a province viewer downloads hold the figures the screen shows, exports work with the
 * network gone, and the printed page is the document alone.
 */
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { loadDemo } from '../../src/server/seed.ts'
import { DEMO_PROVINCE_CODE } from '../../src/domain/demo.ts'
import { asCsv, csvSections, downloadFrom } from './downloads.ts'
import {
  firstPage,
  launchBrowser,
  makeProfile,
  screenshot,
  ShellServer,
  signIn,
  waitForServiceWorker,
  type Profile,
} from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
let profile: Profile
let context: BrowserContext
let page: Page
let url: string
const REPORT = `report?unit=${DEMO_PROVINCE_CODE}`

beforeAll(async () => {
  url = await server.start(current.dir)
  await loadDemo(server.db)
  profile = await makeProfile()
  context = await launchBrowser(profile)
  page = await firstPage(context)
})
afterAll(async () => {
  await context?.close()
  await server.dispose()
  await profile?.remove()
})

/** The report's tables as shown: for each table id, its header and rows of cell texts. */
function screenTables(): Promise<Record<string, string[][]>> {
  return page.evaluate(() => {
    const tables: Record<string, string[][]> = {}
    for (const table of document.querySelectorAll<HTMLTableElement>('article table[data-table]')) {
      tables[table.dataset.table!] = [...table.rows].map((row) =>
        [...row.cells].map((cell) => cell.textContent!.trim()),
      )
    }
    return tables
  })
}

/** Taps the button named `name` and waits for its file. */
function download(name: string): ReturnType<typeof downloadFrom> {
  return downloadFrom(page, name)
}

it('shows the report of the province to its viewer, from the data on the phone', async () => {
  await signIn(page, url, 'tinh')
  await waitForServiceWorker(page)
  await page.goto(`${url}${REPORT}`)
  // The first sync may still be bringing entries: wait for the province's sentence.
  await expect
    .poll(
      () => page.getByText(/Số hoá hồ sơ thủ tục hành chính của \d cấp chính quyền là/u).count(),
      {
        timeout: 30_000,
      },
    )
    .toBe(1)
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent())
    .toMatch(/BÁO CÁO\s*Kết quả số hoá hồ sơ/u)
  expect(await page.getByText('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM').isVisible()).toBe(true)
  expect(await page.getByText(/Sơn Hoà, ngày \d{2} tháng \d{1,2} năm \d{4}/u).isVisible()).toBe(
    true,
  )
  const tables = await screenTables()
  expect(Object.keys(tables)).toEqual(['indicators', 'levels', 'units', 'reporting'])
  expect(tables.units!.length).toBeGreaterThan(2)
  await screenshot(page, 'export-report-phone')
})

it('downloads a CSV whose rows are the figures on the screen', async () => {
  const screen = await screenTables()
  const { download: file, bytes } = await download('Xuất CSV')
  expect(file.suggestedFilename()).toMatch(
    new RegExp(`^sohoa-${DEMO_PROVINCE_CODE}-ytd-\\d{4}-\\d{2}\\.csv$`, 'u'),
  )
  // UTF-8 with a byte order mark (so Excel reads the Vietnamese names), CRLF, one section per
  // table: its title, its header, its rows, then an empty line.
  const sections = csvSections(bytes)
  expect(sections.map((section) => section.title)).toEqual([
    'Kết quả chung',
    'Theo cấp chính quyền',
    'Theo đơn vị',
    'Tình hình báo cáo',
  ])
  const ids = ['indicators', 'levels', 'units', 'reporting']
  sections.forEach((section, i) => {
    const shown = screen[ids[i]!]!
    // The header says "(%)" where the screen's label is bare.
    expect(section.header.map((label) => label.replace(' (%)', ''))).toEqual(shown[0])
    expect(section.rows).toEqual(shown.slice(1).map((row) => row.map(asCsv)))
  })
  expect(sections[1]!.rows.at(-1)![0]).toBe('Tổng cộng')
})

it('downloads a workbook, even with the network gone, holding the same numbers', async () => {
  const screen = await screenTables()
  // The workbook writer is a lazy chunk: it must come from the offline cache.
  await context.setOffline(true)
  try {
    const { download: file, bytes } = await download('Xuất Excel (XLSX)')
    expect(file.suggestedFilename()).toMatch(/^sohoa-99-ytd-\d{4}-\d{2}\.xlsx$/u)
    const files = unzipSync(new Uint8Array(bytes))
    const workbook = strFromU8(files['xl/workbook.xml']!)
    expect([...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/gu)].map((m) => m[1])).toEqual([
      'Kết quả chung',
      'Theo cấp chính quyền',
      'Theo đơn vị',
      'Tình hình báo cáo',
    ])
    // The total row of the levels sheet: numbers as numbers, the rate as a fraction.
    const sheet = strFromU8(files['xl/worksheets/sheet2.xml']!)
    const total = screen.levels!.at(-1)!
    const lastRow = [...sheet.matchAll(/<row r="(\d+)">(.*?)<\/row>/gu)].at(-1)![2]!
    const values = [...lastRow.matchAll(/<c r="[A-Z]+\d+" s="\d+"( t="s")?><v>([^<]*)<\/v><\/c>/gu)]
      .filter((m) => !m[1])
      .map((m) => Number(m[2]))
    expect(values.slice(0, 2).map(String)).toEqual([asCsv(total[1]!), asCsv(total[2]!)])
    expect((values[2]! * 100).toFixed(2)).toBe(asCsv(total[3]!))
    expect(
      await page
        .getByRole('status')
        .getByText(/Đã tạo tệp sohoa-99-.*\.xlsx/u)
        .isVisible(),
    ).toBe(true)
  } finally {
    await context.setOffline(false)
  }
})

it('opens offline and prints the document alone on A4', async () => {
  await context.setOffline(true)
  try {
    await page.reload()
    await page.locator('article').waitFor()
    await page.evaluate(() => {
      // Headless Chromium has no print dialog; what matters is that the button asks for one.
      window.print = () => document.documentElement.setAttribute('data-printed', '1')
    })
    await page.getByRole('button', { name: 'In báo cáo' }).click()
    expect(await page.getAttribute('html', 'data-printed')).toBe('1')

    await page.emulateMedia({ media: 'print' })
    for (const name of ['In báo cáo', 'Xuất CSV', 'Xuất Excel (XLSX)']) {
      expect(await page.getByRole('button', { name }).isVisible()).toBe(false)
    }
    expect(await page.getByRole('navigation').isVisible()).toBe(false)
    expect(await page.locator('.app-bar').isVisible()).toBe(false)
    expect(await page.getByRole('heading', { name: 'III. Kết quả theo đơn vị' }).isVisible()).toBe(
      true,
    )
    const color = await page.locator('article').evaluate((el) => getComputedStyle(el).color)
    expect(color).toBe('rgb(0, 0, 0)')
    await screenshot(page, 'export-report-print')
    const pdf = await page.pdf({ preferCSSPageSize: true })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    // A4 pages (595 × 842 pt): two or three for the demo province.
    const boxes = [...pdf.toString('latin1').matchAll(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/gu)]
    expect(boxes.length).toBeGreaterThanOrEqual(1)
    expect(boxes.length).toBeLessThanOrEqual(3)
    for (const box of boxes) {
      expect(Number(box[1])).toBeCloseTo(595, 0)
      expect(Number(box[2])).toBeCloseTo(842, 0)
    }
  } finally {
    await page.emulateMedia({ media: 'screen' })
    await context.setOffline(false)
  }
})
