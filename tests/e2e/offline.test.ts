import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import {
  buildIdOf,
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

beforeAll(async () => {
  profile = await makeProfile()
})
afterAll(async () => {
  await server.dispose()
  await profile.remove()
})

it('cold-starts with the network gone after one online visit', async () => {
  const url = await server.start(current.dir)
  const online = await launchBrowser(profile)
  const cspViolations = recordCspViolations(online)
  const page = await firstPage(online)
  await page.goto(url)
  await waitForServiceWorker(page)
  expect(await buildIdOf(page)).toBe(current.id)
  // The first install says, once, that the app now works without network.
  const ready = page.getByRole('status').getByText('SoHoa đã sẵn sàng dùng khi không có mạng.')
  await expect.poll(() => ready.isVisible()).toBe(true)
  await screenshot(page, 'offline-ready')
  // Every screen once, online, under the server's CSP (lazy chunks and styles included).
  for (const path of ['units', 'settings', '']) {
    await page.goto(new URL(path, url).href)
    await page.getByRole('heading', { level: 1 }).waitFor()
  }
  expect(cspViolations).toEqual([])
  // Server down and browser offline: nothing, the worker's own fetches included, can reach a network.
  await server.stop()
  await online.setOffline(true)
  await online.close()

  const offline = await launchBrowser(profile, { offline: true })
  try {
    const again = await firstPage(offline)
    await again.goto(url)
    await expect.poll(() => again.getByRole('main').isVisible()).toBe(true)
    await expect.poll(() => again.getByRole('heading', { level: 1 }).isVisible()).toBe(true)
    expect(await again.evaluate(() => navigator.onLine)).toBe(false)
    expect(await buildIdOf(again)).toBe(current.id)
    await screenshot(again, 'offline-cold-start')
    // Lazily loaded screens come from the precache too.
    await again.getByRole('link', { name: 'Cài đặt' }).click()
    await expect
      .poll(() => again.getByRole('heading', { level: 1, name: 'Cài đặt' }).isVisible())
      .toBe(true)
  } finally {
    await offline.close()
  }
})
