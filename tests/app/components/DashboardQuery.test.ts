import { describe, expect, it } from 'vitest'
import {
  dashboardLocation,
  defaultPeriod,
  defaultUnit,
  parseDashboardQuery,
  resolveSelection,
  scopeRoots,
} from '../../../src/app/composables/useDashboardQuery.ts'
import { DIGITIZATION, INDICATORS } from '../../../src/domain/indicators.ts'
import type { SessionUser } from '../../../src/domain/sync/protocol.ts'
import { makeDataset } from './DashboardFixture.ts'

const viewer: SessionUser = {
  id: 'u1',
  username: 'tinh',
  displayName: 'Tỉnh',
  role: 'viewer',
  unitCodes: ['42'],
}

describe('dashboard address', () => {
  it('reads unit, period and indicator, ignoring what it cannot read', () => {
    expect(parseDashboardQuery({ unit: '421', period: '2025-Q3', indicator: 'online' })).toEqual({
      unit: '421',
      period: { kind: 'quarter', year: 2025, index: 3 },
      indicator: INDICATORS.find((i) => i.id === 'online'),
    })
    expect(parseDashboardQuery({ period: '2025-Q5', indicator: 'nope' })).toEqual({
      unit: null,
      period: null,
      indicator: null,
    })
  })

  it('writes the same spelling back', () => {
    expect(
      dashboardLocation({
        unit: '42',
        period: { kind: 'ytd', year: 2026, index: 10 },
        indicator: DIGITIZATION,
      }),
    ).toEqual({
      name: 'dashboard',
      query: { unit: '42', period: 'ytd-2026-10', indicator: 'digitization' },
    })
  })

  it('opens on year to date of the latest month with data', () => {
    expect(defaultPeriod(makeDataset())).toEqual({ kind: 'ytd', year: 2026, index: 4 })
    expect(defaultPeriod(null, new Date(2026, 10, 23))).toEqual({
      kind: 'ytd',
      year: 2026,
      index: 11,
    })
  })

  it('opens a viewer on its first unit, anyone else on the chosen unit or the top', () => {
    const dataset = makeDataset()
    expect(scopeRoots(viewer, dataset)).toEqual(['42'])
    expect(defaultUnit(viewer, '42013', ['42'])).toBe('42')
    expect(defaultUnit(null, '42013', scopeRoots(null, dataset))).toBe('42013')
    expect(defaultUnit(null, null, scopeRoots(null, dataset))).toBe('42')
    const selection = resolveSelection(parseDashboardQuery({}), {
      unit: '42',
      period: defaultPeriod(dataset),
    })
    expect(selection).toEqual({
      unit: '42',
      period: { kind: 'ytd', year: 2026, index: 4 },
      indicator: DIGITIZATION,
    })
  })
})
