import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import {
  buildIdOf,
  firstPage,
  launchBrowser,
  makeProfile,
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
  await server.stop()
  await profile.remove()
})

it('cold-starts with the network gone after one online visit', async () => {
  const url = await server.start(current.dir)
  const online = await launchBrowser(profile)
  const page = await firstPage(online)
  await page.goto(url)
  await waitForServiceWorker(page)
  expect(await buildIdOf(page)).toBe(current.id)
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
  } finally {
    await offline.close()
  }
})
