/**
 * Times saving one entry through the real entry form: tap "Lưu" until the saved message shows,
 * offline in an installed app.
 */
import type { Page } from 'playwright-core'
import { firstPage, launchBrowser, waitForServiceWorker, type Profile } from '../e2e/harness.ts'
import { throttle } from './pageLoad.ts'

const SAVED = 'Đã lưu trên máy này'

const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true })

/** From the home screen of a fresh profile: demo data, a commune, this month's entry form. */
export async function openEntryForm(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByRole('button', { name: 'Tải dữ liệu mẫu' }).click()
  await page.getByRole('link', { name: 'Chọn đơn vị báo cáo' }).click()
  await page.getByRole('button', { name: /Xã An Lạc/ }).click()
  await page.getByRole('link', { name: /^Nhập số liệu tháng/ }).click()
  await field(page, 'Hồ sơ tiếp nhận').waitFor()
}

/** Saves `count` times with changing figures; returns each save's milliseconds, in order. */
export async function timeSaves(page: Page, count: number): Promise<number[]> {
  const times: number[] = []
  const saved = page.getByText(SAVED)
  const save = page.getByRole('button', { name: 'Lưu', exact: true })
  for (let i = 0; i < count; i++) {
    await field(page, 'Hồ sơ tiếp nhận').fill(String(500 + i))
    await field(page, 'Hồ sơ đã số hoá').fill(String(400 + i))
    // Typing clears the previous save's message, so the next one is this save's.
    await saved.waitFor({ state: 'detached' })
    const button = await save.elementHandle()
    if (!button) throw new Error('No "Lưu" button')
    const ms = await button.evaluate(
      (element, text) =>
        new Promise<number>((resolve) => {
          const start = performance.now()
          const observer = new MutationObserver(() => {
            if (!document.body.textContent?.includes(text)) return
            observer.disconnect()
            resolve(performance.now() - start)
          })
          observer.observe(document.body, { childList: true, subtree: true, characterData: true })
          if (element instanceof HTMLElement) element.click()
        }),
      SAVED,
    )
    times.push(ms)
  }
  return times
}

/** Installs the app in `profile` without measuring, for saves run without the page loads. */
export async function install(profile: Profile, url: string): Promise<void> {
  const context = await launchBrowser(profile)
  try {
    const page = await firstPage(context)
    await page.goto(url)
    await waitForServiceWorker(page)
  } finally {
    await context.close()
  }
}

/** Saves through the entry form, offline, at full speed and at 4x CPU. */
export async function saves(
  profile: Profile,
  url: string,
  count: number,
): Promise<{ fast: number[]; slow: number[] }> {
  const context = await launchBrowser(profile, { offline: true })
  try {
    const page = await firstPage(context)
    await openEntryForm(page, url)
    const fast = await timeSaves(page, count)
    await throttle(page, { network: null })
    const slow = await timeSaves(page, count)
    return { fast, slow }
  } finally {
    await context.close()
  }
}
