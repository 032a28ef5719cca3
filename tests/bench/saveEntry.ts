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

/**
 * The floor under a save, timed in the same page: one strict-durability IndexedDB transaction
 * writing an entry and an outbox record with the raw API, in a database of its own.
 */
export async function timeBareWrites(page: Page, count: number): Promise<number[]> {
  return page.evaluate(async (n) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('bench-bare-save', 1)
      open.onupgradeneeded = () => {
        open.result.createObjectStore('entries', { keyPath: 'key' })
        open.result.createObjectStore('outbox', { autoIncrement: true })
      }
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    const times: number[] = []
    for (let i = 0; i < n; i++) {
      const start = performance.now()
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['entries', 'outbox'], 'readwrite', { durability: 'strict' })
        const counts = { received: 500 + i, digitized: 400 + i }
        tx.objectStore('entries').put({ key: `99019|2026-01`, counts })
        tx.objectStore('outbox').add({ kind: 'entry.put', counts, createdAt: Date.now() })
        tx.oncomplete = () => resolve()
        tx.onerror = () => reject(tx.error)
      })
      times.push(performance.now() - start)
    }
    db.close()
    return times
  }, count)
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

/** Each save's milliseconds through the UI, and of the bare write under it, at 1x and 4x CPU. */
export interface SaveTimes {
  fast: number[]
  slow: number[]
  bareFast: number[]
  bareSlow: number[]
}

/** Saves through the entry form, offline, at full speed and at 4x CPU, each next to bare writes. */
export async function saves(profile: Profile, url: string, count: number): Promise<SaveTimes> {
  const context = await launchBrowser(profile, { offline: true })
  try {
    const page = await firstPage(context)
    await openEntryForm(page, url)
    const fast = await timeSaves(page, count)
    const bareFast = await timeBareWrites(page, count)
    await throttle(page, { network: null })
    const slow = await timeSaves(page, count)
    const bareSlow = await timeBareWrites(page, count)
    return { fast, slow, bareFast, bareSlow }
  } finally {
    await context.close()
  }
}
