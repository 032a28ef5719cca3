/**
 * Shared by the browser tests and the benchmark: builds the app with a given build id, serves a build
 * with the real server (and can swap the build or vanish while keeping the port, as a deploy or a
 * lost signal would), and launches Chromium on a persistent profile so a "cold start" is a real
 * browser restart with the service worker and IndexedDB kept on disk.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { buildApp, type BuildAppOptions } from '../../src/server/app.ts'
import { DEMO_PASSWORD } from '../../src/server/seed.ts'
import { openStore } from '../../src/server/store/open.ts'
import type { Store } from '../../src/server/store/store.ts'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Screenshots and traces; gitignored. */
export const RESULTS_DIR = join(ROOT, 'test-results')
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** The phone the app is designed for. */
export const PHONE_VIEWPORT = { width: 360, height: 740 }

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** A `vite build` output and the build id baked into it. */
export interface Build {
  dir: string
  id: string
}

/** Runs `vite build` into a fresh temp dir with SOHOA_BUILD_ID=`id`. */
export async function buildPwa(id: string, dir?: string): Promise<Build> {
  const outDir = dir ?? (await mkdtemp(join(tmpdir(), `sohoa-build-`)))
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn', '--emptyOutDir'], {
    ...process.env,
    // Vitest sets NODE_ENV=test, and Vite builds whatever NODE_ENV says: without this the browser
    // tests would run Vue's development build, 50 KB larger and slower than what users get.
    NODE_ENV: 'production',
    SOHOA_OUT_DIR: outDir,
    SOHOA_BUILD_ID: id,
  })
  return { dir: outDir, id }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    )
  })
}

/**
 * The real server (PWA and API) on a fixed port that can be stopped and restarted with another build.
 * Its SQLite database lives in one temp dir for the server's whole life, so a restart keeps the data
 * as a real deployment would.
 */
export class ShellServer {
  private app: FastifyInstance | undefined
  private store: Store | undefined
  private dataDir: string | undefined
  port = 0

  get url(): string {
    // 127.0.0.1 is a secure context like localhost, without the IPv6-first lookup.
    return `http://127.0.0.1:${this.port}/`
  }

  /** Serves `staticDir`; the first start picks a free port, later starts reuse it. */
  async start(staticDir: string, options: Partial<BuildAppOptions> = {}): Promise<string> {
    await this.stop()
    this.dataDir ??= await mkdtemp(join(tmpdir(), 'sohoa-data-'))
    const store = await openStore({ dataDir: this.dataDir })
    await store.migrate()
    const app = await buildApp({ ...options, store, staticDir })
    await app.listen({ host: '127.0.0.1', port: this.port })
    const address = app.server.address()
    if (typeof address === 'object' && address) this.port = address.port
    this.app = app
    this.store = store
    return this.url
  }

  /** The running server's store, to create accounts or look behind the API in a test. */
  get db(): Store {
    if (!this.store) throw new Error('The server is not running')
    return this.store
  }

  /** Takes the server away, as if the phone lost its signal. */
  async stop(): Promise<void> {
    const app = this.app
    const store = this.store
    this.app = undefined
    this.store = undefined
    await app?.close()
    await store?.close()
  }

  /** Stops the server and deletes its database. */
  async dispose(): Promise<void> {
    await this.stop()
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true })
    this.dataDir = undefined
  }
}

export interface Profile {
  dir: string
  remove: () => Promise<void>
}

/** A fresh Chromium user-data-dir. */
export async function makeProfile(): Promise<Profile> {
  const dir = await mkdtemp(join(tmpdir(), 'sohoa-profile-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** How to start Chromium. */
export interface LaunchOptions {
  /** Cut the network from the very first request. */
  offline?: boolean
  /** Pretend to be another browser, e.g. iOS Safari. */
  userAgent?: string
}

/** Launches Chromium on `profile` at phone size. */
export async function launchBrowser(
  profile: Profile,
  options: LaunchOptions = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile.dir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: PHONE_VIEWPORT,
    locale: 'vi-VN',
    offline: options.offline ?? false,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  })
}

/**
 * Collects Content-Security-Policy violations the browser reports in `context`, so a test can prove
 * the app runs under the server's CSP.
 */
export function recordCspViolations(context: BrowserContext): string[] {
  const violations: string[] = []
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text())
    }
  })
  return violations
}

/** The tab a persistent context opens with. */
export async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage())
}

/** A phone or PC in a test: Chromium on its own profile, and the tab it opened with. */
export interface Device {
  profile: Profile
  context: BrowserContext
  page: Page
}

/** The devices a test file opens, closed and their profiles removed together by `dispose()`. */
export class Devices {
  private readonly profiles: Profile[] = []
  private readonly contexts: BrowserContext[] = []

  /** Launches Chromium on a fresh profile. */
  async open(options: LaunchOptions = {}): Promise<Device> {
    const profile = await makeProfile()
    this.profiles.push(profile)
    return this.reopen(profile, options)
  }

  /** Launches Chromium again on a profile `open` made, once its last context is closed. */
  async reopen(profile: Profile, options: LaunchOptions = {}): Promise<Device> {
    const context = await launchBrowser(profile, options)
    this.contexts.push(context)
    return { profile, context, page: await firstPage(context) }
  }

  /** Closes every context (already closed or crashed ones too) and removes the profiles. */
  async dispose(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined)
    for (const profile of this.profiles) await profile.remove()
  }
}

/** Signs `username` in through the login screen and waits until the app has left it. */
export async function signIn(
  page: Page,
  url: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`${url}login`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL((address) => !address.pathname.startsWith('/login'), { timeout: 20_000 })
}

/** Waits until a service worker controls `page`, reloading once if the first load was uncontrolled. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  const registered = await page
    .waitForFunction(() => navigator.serviceWorker.getRegistration().then((r) => r?.active), null, {
      timeout: 30_000,
    })
    .then(() => true)
    .catch(() => false)
  if (!registered) {
    throw new Error('No active service worker after 30 s: is registerPwa() called by the app?')
  }
  // The app's worker claims the page on first install; give it a moment before reloading.
  const controlled = await page
    .waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 5_000 })
    .then(() => true)
    .catch(() => false)
  if (!controlled) await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
}

/** The build id the page is running (stamped on <html> by src/app/pwa/register.ts). */
export function buildIdOf(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.documentElement.dataset.build)
}

/** Saves a screenshot under test-results/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true })
  const path = join(RESULTS_DIR, `${name}.png`)
  await page.screenshot({ path })
  return path
}
