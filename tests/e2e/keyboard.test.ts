/**
 * The entry form with a keyboard alone, in a real Chromium at phone size: from the home screen to
 * the form, every count typed, a refused value that takes focus and says why, the correction, the
 * save heard through a live region, and back home. Along the way every focused control shows a
 * visible focus indicator, stays clear of the sticky header and the bottom navigation, and comes in
 * reading order; the screen's title and focus follow each change of screen; Tab never gets stuck.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { BrowserContext, ElementHandle, Page } from 'playwright-core'
import { monthOf, parseMonth } from '../../src/domain/periods.ts'
import {
  firstPage,
  launchBrowser,
  makeProfile,
  screenshot,
  ShellServer,
  type Profile,
} from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
let profile: Profile
let context: BrowserContext
let url: string
const { year, month } = parseMonth(monthOf(new Date()))
const ENTRY_TITLE = `Số liệu tháng ${month}/${year}`

beforeAll(async () => {
  profile = await makeProfile()
  url = await server.start(current.dir)
  context = await launchBrowser(profile)
})
afterAll(async () => {
  await context?.close()
  await server.dispose()
  await profile.remove()
})

/** What has focus: its accessible name as a user reads it, where it is, and how it looks. */
interface Focus {
  tag: string
  name: string
  top: number
  bottom: number
  /** The part of the screen not covered by the sticky app bar and the fixed bottom navigation. */
  clearTop: number
  clearBottom: number
  inChrome: boolean
}

function focusNow(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const element = document.activeElement
    const box = element?.getBoundingClientRect()
    const labelled =
      element instanceof HTMLInputElement ||
      element instanceof HTMLSelectElement ||
      element instanceof HTMLTextAreaElement
    // Text as read aloud: without the decorative icons hidden from assistive technology.
    const read = (node: Node): string =>
      node instanceof Element && node.getAttribute('aria-hidden') === 'true'
        ? ''
        : node.nodeType === Node.TEXT_NODE
          ? (node.textContent ?? '')
          : [...node.childNodes].map(read).join('')
    const text =
      element?.getAttribute('aria-label') ??
      (labelled && element.labels?.length
        ? [...element.labels].map(read).join(' ')
        : element
          ? read(element)
          : '')
    return {
      tag: element?.tagName.toLowerCase() ?? 'none',
      name: text.replace(/\s+/g, ' ').trim(),
      top: box?.top ?? 0,
      bottom: box?.bottom ?? 0,
      clearTop: document.querySelector('.app-bar')?.getBoundingClientRect().bottom ?? 0,
      clearBottom: document.querySelector('.app-nav')?.getBoundingClientRect().top ?? innerHeight,
      inChrome: element?.closest('.app-bar, .app-nav, .skip-link') !== null,
    }
  })
}

/** The styles a focus indicator can change; '' when asked `whileFocused` and it has lost focus. */
function looks(element: Element, whileFocused = false): string {
  if (whileFocused && element !== document.activeElement) return ''
  const style = getComputedStyle(element)
  return [
    style.outlineStyle,
    style.outlineWidth,
    style.outlineColor,
    style.boxShadow,
    style.borderColor,
    style.backgroundColor,
    style.textDecorationLine,
  ].join('|')
}

/**
 * Presses `key` and reports the control that has focus afterwards; checks that the control that
 * had focus before looked different while it had it, and that the new one is not hidden.
 */
class Keyboard {
  private previous: { handle: ElementHandle<Element>; focused: string; name: string } | null = null
  readonly seen: Focus[] = []

  constructor(private readonly page: Page) {}

  async press(key: string): Promise<Focus> {
    await this.page.keyboard.press(key)
    return this.settle()
  }

  /** Records the focus as it is now (after typing, or after the app moved it). */
  async settle(): Promise<Focus> {
    const handle = await this.page.evaluateHandle(() => document.activeElement ?? document.body)
    const focus = await focusNow(this.page)
    if (this.previous && !(await this.previous.handle.evaluate((e, h) => e === h, handle))) {
      const { handle: before, focused, name } = this.previous
      const connected = await before.evaluate((element) => element.isConnected)
      if (connected && focused !== '') {
        expect(await before.evaluate(looks, false), `no visible focus on "${name}"`).not.toBe(
          focused,
        )
      }
    }
    const element = await handle.asElement()
    const real = element && focus.tag !== 'body' && focus.tag !== 'main' && focus.tag !== 'h1'
    // The app may move focus (to a new screen's heading) between reading the focused element and
    // its style: a style read after focus left is not the focused look, so it is not kept.
    const focusedLook = element ? await element.evaluate(looks, true) : ''
    this.previous = real ? { handle: element, focused: focusedLook, name: focus.name } : null
    if (real && !focus.inChrome) {
      expect(focus.top, `"${focus.name}" under the app bar`).toBeGreaterThanOrEqual(focus.clearTop)
      expect(focus.bottom, `"${focus.name}" under the navigation`).toBeLessThanOrEqual(
        focus.clearBottom,
      )
    }
    this.seen.push(focus)
    return focus
  }

  /** Tabs forward until the focused control's name matches; fails after `limit` presses. */
  async tabTo(name: RegExp | string, limit = 25): Promise<Focus[]> {
    const passed: Focus[] = []
    for (let i = 0; i < limit; i += 1) {
      const focus = await this.press('Tab')
      passed.push(focus)
      if (typeof name === 'string' ? focus.name === name : name.test(focus.name)) return passed
    }
    throw new Error(`"${name}" not reached in ${limit} Tabs: ${passed.map((f) => f.name)}`)
  }
}

it('the entry form works with the keyboard alone', async () => {
  const page = await firstPage(context)
  // Choosing a unit is not the subject here: done with taps, then the keyboard takes over.
  await page.goto(url)
  await page.getByRole('button', { name: 'Tải dữ liệu mẫu' }).click()
  await page.getByRole('link', { name: 'Chọn đơn vị báo cáo' }).click()
  await page.getByRole('button', { name: /Xã An Lạc/ }).click()
  await page.goto(url)
  await page.getByRole('link', { name: /^Nhập số liệu tháng/ }).waitFor()
  expect(await page.title()).toBe('Tổng quan – SoHoa')
  const keys = new Keyboard(page)

  // The skip link comes first, shows itself, and jumps over the header into the content.
  const skip = await keys.press('Tab')
  expect(skip.name).toBe('Chuyển tới nội dung')
  expect(skip.top).toBeGreaterThanOrEqual(0)
  await keys.press('Enter')
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')

  // Into the form in reading order: each control below or beside the one before.
  const toForm = await keys.tabTo(/^Nhập số liệu tháng/)
  for (let i = 1; i < toForm.length; i += 1) {
    expect(toForm[i]!.top, `${toForm[i]!.name} after ${toForm[i - 1]!.name}`).toBeGreaterThan(
      toForm[i - 1]!.top - 4,
    )
  }
  await keys.press('Enter')
  await page.waitForURL(/\/entry\//)
  await expect.poll(() => page.title()).toBe(`${ENTRY_TITLE} – SoHoa`)
  // Focus is on the new screen's heading, not left on a link that is gone.
  await expect
    .poll(() => focusNow(page).then((f) => `${f.tag} ${f.name}`))
    .toBe(`h1 ${ENTRY_TITLE}`)
  await keys.settle()

  const typed: [string, string][] = [
    ['Hồ sơ tiếp nhận', '100'],
    ['Hồ sơ đã số hoá', '120'],
    ['Hồ sơ đã giải quyết (không bắt buộc)', '90'],
    ['Kết quả cấp điện tử (không bắt buộc)', '80'],
    ['Hồ sơ tái sử dụng dữ liệu số hoá (không bắt buộc)', '30'],
    ['Hồ sơ tiếp nhận trực tuyến (không bắt buộc)', '40'],
  ]
  const before = await keys.tabTo('Hồ sơ tiếp nhận')
  expect(before.map((f) => f.name)).toEqual([
    expect.stringMatching(/^‹ Tháng/),
    'Chép số liệu tháng trước',
    'Hồ sơ tiếp nhận',
  ])
  for (const [i, [name, value]] of typed.entries()) {
    if (i > 0) expect((await keys.press('Tab')).name).toBe(name)
    await page.keyboard.type(value)
  }
  expect((await keys.press('Tab')).name).toBe('Ghi chú')
  await page.keyboard.type('Nhập bằng bàn phím')
  expect((await keys.press('Tab')).name).toBe('Lưu')

  // Saving with digitized above received: focus goes to the field, which says why.
  await keys.press('Enter')
  await page.getByRole('alert').filter({ hasText: 'Chưa lưu: còn 1 lỗi cần sửa.' }).waitFor()
  const invalid = await keys.settle()
  expect(invalid.name).toBe('Hồ sơ đã số hoá')
  const described = await page.evaluate(() => {
    const field = document.activeElement
    const ids = field?.getAttribute('aria-describedby')?.split(' ') ?? []
    return {
      invalid: field?.getAttribute('aria-invalid'),
      description: ids.map((id) => document.getElementById(id)?.textContent?.trim()).join(' '),
    }
  })
  expect(described.invalid).toBe('true')
  expect(described.description).toContain(
    'Hồ sơ đã số hoá (120) không được lớn hơn hồ sơ tiếp nhận (100).',
  )
  await screenshot(page, 'keyboard-entry-error')

  // Back one field and forward again, then the correction.
  expect((await keys.press('Shift+Tab')).name).toBe('Hồ sơ tiếp nhận')
  expect((await keys.press('Tab')).name).toBe('Hồ sơ đã số hoá')
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.type('80')
  await keys.tabTo('Lưu', 8)

  // The confirmation is spoken by a live region that was already in the page before the save.
  const regions = await page.evaluateHandle(() => [
    ...document.querySelectorAll('[role="status"], [role="alert"], [aria-live]'),
  ])
  await keys.press('Space')
  await page.getByText('Đã lưu trên máy này. Sẽ gửi khi có mạng.').waitFor()
  expect(
    await regions.evaluate((known) =>
      known.some((region) => region.textContent?.includes('Đã lưu trên máy này')),
    ),
  ).toBe(true)
  expect((await keys.settle()).name).toBe('Lưu')
  await screenshot(page, 'keyboard-entry-saved')

  // Back home through the bottom navigation.
  await keys.tabTo('Trang chủ')
  await keys.press('Enter')
  await expect.poll(() => page.title()).toBe('Tổng quan – SoHoa')
  await expect.poll(() => focusNow(page).then((f) => `${f.tag} ${f.name}`)).toBe('h1 Tổng quan')
  await expect
    .poll(() => page.getByRole('link', { name: `Sửa số liệu tháng ${month}/${year}` }).count())
    .toBe(1)

  // No trap: Tab runs through the whole screen and comes round to the skip link again.
  await keys.settle()
  const round = await keys.tabTo('Chuyển tới nội dung', 40)
  expect(round.map((f) => f.name)).toContain('Cài đặt')
})

it('the language changes with the arrow keys, and the page says which language it is in', async () => {
  const page = await firstPage(context)
  const keys = new Keyboard(page)
  await keys.tabTo('Cài đặt')
  await keys.press('Enter')
  await expect.poll(() => page.title()).toBe('Cài đặt – SoHoa')
  await keys.tabTo('Tiếng Việt')
  await keys.press('ArrowDown')
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en')
  await expect.poll(() => page.title()).toBe('Settings – SoHoa')
  expect((await keys.settle()).name).toBe('English')
  await keys.press('ArrowUp')
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('vi')
})
