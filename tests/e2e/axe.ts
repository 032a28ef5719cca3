/**
 * Accessibility checks run inside the real page: axe-core (WCAG 2.2 AA and best practices) and the
 * product's own rule that every control on the phone is at least 44×44 px. axe is injected through
 * CDP evaluation, which the server's CSP (script-src 'self') does not govern, so the page keeps the
 * exact policy it ships with.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { RESULTS_DIR, ROOT, screenshot } from './harness.ts'

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
/** The product's minimum touch target on the phone, stricter than WCAG 2.5.8's 24 px. */
export const MIN_TARGET = 44

/** One axe rule failing on one screen. */
export interface Finding {
  screen: string
  rule: string
  impact: string
  help: string
  targets: string[]
}

let axeSource: Promise<string> | undefined

/** Runs axe over the whole document and returns every violation, whatever its impact. */
export async function runAxe(page: Page, screen: string): Promise<Finding[]> {
  axeSource ??= readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
  const source = await axeSource
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source)
  const violations = await page.evaluate(async (tags) => {
    const axe: unknown = Reflect.get(window, 'axe')
    const isAxe = (value: unknown): value is { run: (...args: unknown[]) => Promise<unknown> } =>
      typeof value === 'object' && value !== null && 'run' in value
    if (!isAxe(axe)) throw new Error('axe-core did not load')
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    })
    // Plain data only crosses back to Node.
    return JSON.stringify(results)
  }, TAGS)
  const parsed: {
    violations: {
      id: string
      impact: string | null
      help: string
      nodes: { target: unknown[] }[]
    }[]
  } = JSON.parse(violations)
  return parsed.violations.map((violation) => ({
    screen,
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.map(String).join(' >> ')),
  }))
}

/** "color-contrast (serious) on login: Elements must… — .button, .notice" */
export function describeFinding(finding: Finding): string {
  return `${finding.rule} (${finding.impact}) on ${finding.screen}: ${finding.help} — ${finding.targets.join(', ')}`
}

/**
 * Interactive controls smaller than 44×44 px, described for a failure message. Inline links inside
 * running text are exempt, as WCAG 2.5.8 exempts them; a control whose label is large enough
 * passes, since tapping the label operates it.
 */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const selector = [
      'a[href]',
      'button',
      'input:not([type="hidden"])',
      'select',
      'textarea',
      'summary',
      '[role="button"]',
      '[role="link"]',
      '[tabindex]:not([tabindex="-1"])',
    ].join(',')
    const found: string[] = []
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (element.matches(':disabled') || element.closest('[inert]')) continue
      const style = getComputedStyle(element)
      if (style.visibility === 'hidden') continue
      const own = element.getBoundingClientRect()
      // Not rendered, visually hidden (1 px), or parked off screen like the skip link until focused.
      if (own.width <= 1 || own.height <= 1 || own.right <= 0) continue
      if (element.tagName === 'A' && style.display === 'inline') {
        const block = element.parentElement
        const text = element.textContent?.trim().length ?? 0
        if (block && (block.textContent?.trim().length ?? 0) > text) continue
      }
      // A tap on a control's label operates the control too.
      const labelled =
        element instanceof HTMLInputElement ||
        element instanceof HTMLSelectElement ||
        element instanceof HTMLTextAreaElement
      const labels = labelled && element.labels ? [...element.labels] : []
      const boxes = [element, ...labels].map((target) => target.getBoundingClientRect())
      if (boxes.some((box) => box.width >= min - 0.5 && box.height >= min - 0.5)) continue
      const name = (element.getAttribute('aria-label') ?? element.textContent ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 40)
      const classes =
        typeof element.className === 'string' ? element.className.split(/\s+/).filter(Boolean) : []
      const tag = [element.tagName.toLowerCase(), ...classes].join('.')
      found.push(`${tag} "${name}" ${Math.round(own.width)}×${Math.round(own.height)}`)
    }
    return found
  }, MIN_TARGET)
}

/**
 * Checks screens one after another: axe's serious and critical violations and undersized controls
 * fail softly, so one run names every failing screen; everything axe found, moderate and minor
 * included, is written to test-results/<name>.json and its lesser findings printed.
 */
export class ScreenAudit {
  readonly findings: Finding[] = []
  readonly screens: string[] = []

  async check(page: Page, screen: string): Promise<void> {
    this.screens.push(screen)
    const found = await runAxe(page, screen)
    this.findings.push(...found)
    const blocking = found.filter((f) => f.impact === 'serious' || f.impact === 'critical')
    expect.soft(blocking.map(describeFinding), screen).toEqual([])
    expect.soft(await smallTargets(page), `${screen}: controls under 44×44 px`).toEqual([])
    await screenshot(page, `a11y-${screen}`)
  }

  async write(name: string): Promise<void> {
    await mkdir(RESULTS_DIR, { recursive: true })
    const report = { screens: this.screens, findings: this.findings }
    await writeFile(join(RESULTS_DIR, `${name}.json`), JSON.stringify(report, null, 2))
    const lesser = this.findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical')
    if (lesser.length > 0) console.info(lesser.map(describeFinding).join('\n'))
  }
}
