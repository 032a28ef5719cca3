import { describe, expect, it } from 'vitest'
import { deadlineOf, DEFAULT_DEADLINE_DAY } from '../../src/domain/completeness.ts'
import { buildDemo } from '../../src/domain/demo.ts'
import { isMonth } from '../../src/domain/periods.ts'
import { targetKey, targetProblem } from '../../src/domain/targets.ts'

const demo = buildDemo({ endMonth: '2025-12' })

/** Days from the deadline to the first report: negative when on time. */
function daysLate(entry: (typeof demo.entries)[number]): number {
  if (!isMonth(entry.month)) throw new Error(entry.month)
  const deadline = deadlineOf(entry.month, DEFAULT_DEADLINE_DAY).getTime()
  return (Date.parse(entry.reportedAt) - deadline) / 86_400_000
}

describe('demo report times', () => {
  it('has most months reported on time and some a few days late', () => {
    const late = demo.entries.map(daysLate).filter((days) => days > 0)
    expect(late.length).toBeGreaterThan(demo.entries.length * 0.05)
    expect(late.length).toBeLessThan(demo.entries.length * 0.3)
    expect(Math.max(...late)).toBeLessThan(5)
  })

  it('reports no month before it is under way, and saves no later than the first report', () => {
    for (const entry of demo.entries) {
      expect(entry.reportedAt.slice(0, 7) >= entry.month).toBe(true)
      expect(entry.updatedAt >= entry.reportedAt).toBe(true)
    }
  })

  it('is the same on every build', () => {
    const again = buildDemo({ endMonth: '2025-12' })
    expect(again.entries.map((e) => e.reportedAt)).toEqual(demo.entries.map((e) => e.reportedAt))
    expect(again.targets).toEqual(demo.targets)
  })
})

describe('demo targets', () => {
  it('sets valid targets, distinct per key, for every year the demo covers', () => {
    expect(demo.targets.map(targetProblem).every((problem) => problem === null)).toBe(true)
    const keys = demo.targets.map(targetKey)
    expect(new Set(keys).size).toBe(keys.length)
    expect([...new Set(demo.targets.map((t) => t.year))]).toEqual([2024, 2025])
  })

  it('holds communes to 80%, the district level to 70% and one ward to 85%', () => {
    const y2025 = demo.targets.filter((t) => t.year === 2025)
    expect(y2025.map((t) => [t.unitCode, t.level, t.basisPoints])).toEqual([
      ['99', 'commune', 8000],
      ['99', 'district', 7000],
      ['99022', null, 8500],
    ])
  })
})
