/** Times saving one entry through the real entry form: tap "Lưu" until the saved message shows. */
import type { Page } from 'playwright-core'

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
