/**
 * Lighthouse (the npm package) against the production build, driving Debian's Chromium: its default
 * mobile settings (Moto G Power screen, 4x CPU, slow 4G, simulated throttling), categories
 * performance, accessibility and best practices. Each run starts from cleared storage, so it is a
 * first visit. Lighthouse's own timings are simulated from the trace, so they are compared with its
 * thresholds for "good", not with another timing.
 */
import lighthouse from 'lighthouse'
import { launch } from 'chrome-launcher'
import { CHROMIUM_ARGS, CHROMIUM_PATH, type Profile } from '../e2e/harness.ts'
import { median } from './report.ts'

export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const
export type LighthouseCategory = (typeof LIGHTHOUSE_CATEGORIES)[number]

export const LIGHTHOUSE_METRIC_IDS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
] as const
export type LighthouseMetric = (typeof LIGHTHOUSE_METRIC_IDS)[number]

/** The metrics of the performance score, with the largest value Lighthouse still calls good. */
export const LIGHTHOUSE_METRICS = {
  'first-contentful-paint': { label: 'First Contentful Paint', good: 1_800, unit: 'ms' },
  'largest-contentful-paint': { label: 'Largest Contentful Paint', good: 2_500, unit: 'ms' },
  'total-blocking-time': { label: 'Total Blocking Time', good: 200, unit: 'ms' },
  'cumulative-layout-shift': { label: 'Cumulative Layout Shift', good: 0.1, unit: '' },
  'speed-index': { label: 'Speed Index', good: 3_400, unit: 'ms' },
} as const satisfies Record<LighthouseMetric, { label: string; good: number; unit: string }>

/** One Lighthouse run's scores (0–100) and metric values. */
export interface LighthouseRun {
  scores: Record<LighthouseCategory, number>
  metrics: Record<LighthouseMetric, number>
  /** Audits of the three categories that scored below 0.9, for the log: id and title. */
  flagged: { id: string; title: string; score: number }[]
  lighthouseVersion: string
}

/** The median of each score and metric over `runs` runs, and every run. */
export interface LighthouseFigures {
  url: string
  scores: Record<LighthouseCategory, number>
  metrics: Record<LighthouseMetric, number>
  runs: LighthouseRun[]
}

async function runOnce(url: string, profile: Profile): Promise<LighthouseRun> {
  const chrome = await launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
    userDataDir: profile.dir,
    logLevel: 'silent',
  })
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: [...LIGHTHOUSE_CATEGORIES],
    })
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`)
    const { lhr } = result
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`)
    const score = (category: LighthouseCategory): number => {
      const value = lhr.categories[category]?.score
      if (typeof value !== 'number') throw new Error(`Lighthouse gave no ${category} score`)
      return Math.round(value * 100)
    }
    const metric = (id: LighthouseMetric): number => {
      const value = lhr.audits[id]?.numericValue
      if (typeof value !== 'number') throw new Error(`Lighthouse measured no ${id}`)
      return value
    }
    const flagged = LIGHTHOUSE_CATEGORIES.flatMap((category) =>
      (lhr.categories[category]?.auditRefs ?? []).flatMap((ref) => {
        const audit = lhr.audits[ref.id]
        return ref.weight > 0 && audit && typeof audit.score === 'number' && audit.score < 0.9
          ? [{ id: ref.id, title: audit.title, score: audit.score }]
          : []
      }),
    )
    return {
      scores: {
        performance: score('performance'),
        accessibility: score('accessibility'),
        'best-practices': score('best-practices'),
      },
      metrics: {
        'first-contentful-paint': metric('first-contentful-paint'),
        'largest-contentful-paint': metric('largest-contentful-paint'),
        'total-blocking-time': metric('total-blocking-time'),
        'cumulative-layout-shift': metric('cumulative-layout-shift'),
        'speed-index': metric('speed-index'),
      },
      flagged,
      lighthouseVersion: lhr.lighthouseVersion,
    }
  } finally {
    chrome.kill()
  }
}

/** `runs` Lighthouse runs of `url`, each in a fresh profile from `newProfile`. */
export async function benchLighthouse(
  url: string,
  newProfile: () => Promise<Profile>,
  runs: number,
): Promise<LighthouseFigures> {
  const all: LighthouseRun[] = []
  for (let i = 0; i < runs; i++) all.push(await runOnce(url, await newProfile()))
  const med = (pick: (run: LighthouseRun) => number): number => median(all.map(pick))
  const scores = {
    performance: med((run) => run.scores.performance),
    accessibility: med((run) => run.scores.accessibility),
    'best-practices': med((run) => run.scores['best-practices']),
  }
  const metrics = {
    'first-contentful-paint': med((run) => run.metrics['first-contentful-paint']),
    'largest-contentful-paint': med((run) => run.metrics['largest-contentful-paint']),
    'total-blocking-time': med((run) => run.metrics['total-blocking-time']),
    'cumulative-layout-shift': med((run) => run.metrics['cumulative-layout-shift']),
    'speed-index': med((run) => run.metrics['speed-index']),
  }
  return { url, scores, metrics, runs: all }
}
