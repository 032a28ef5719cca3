/**
 * The dashboard's address: `/dashboard?unit=99&period=ytd-2026-10&indicator=digitization`. Every
 * parameter is optional; a missing or unreadable one falls back to a default, so any link, bookmark
 * or hand-typed address opens something sensible.
 */
import type { LocationQuery, LocationQueryRaw, RouteLocationRaw } from 'vue-router'
import { formatPeriodParam, parsePeriodParam } from '../../domain/periodParam.ts'
import { DIGITIZATION, INDICATORS, type Indicator } from '../../domain/indicators.ts'
import { monthOf, parseMonth, type Period } from '../../domain/periods.ts'
import type { Dataset } from '../../domain/rollup.ts'
import type { SessionUser } from '../../domain/sync/protocol.ts'
import { ROUTES } from '../constants.ts'

/** What the address asks for; null where it asks for nothing usable. */
export interface DashboardQuery {
  unit: string | null
  period: Period | null
  indicator: Indicator | null
}

/** What the dashboard shows once defaults are filled in. */
export interface DashboardSelection {
  unit: string
  period: Period
  indicator: Indicator
}

const single = (value: LocationQuery[string] | undefined): string | null => {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' && first !== '' ? first : null
}

export function parseDashboardQuery(query: LocationQuery): DashboardQuery {
  const unit = single(query.unit)
  const period = single(query.period)
  const indicator = single(query.indicator)
  return {
    unit,
    period: period === null ? null : parsePeriodParam(period),
    indicator: INDICATORS.find((candidate) => candidate.id === indicator) ?? null,
  }
}

/** The address's parameters, as plain strings. */
export function dashboardQueryParams(selection: DashboardSelection): Record<string, string> {
  return {
    unit: selection.unit,
    period: formatPeriodParam(selection.period),
    indicator: selection.indicator.id,
  }
}

export function dashboardQuery(selection: DashboardSelection): LocationQueryRaw {
  return dashboardQueryParams(selection)
}

export function dashboardLocation(selection: DashboardSelection): RouteLocationRaw {
  return { name: ROUTES.dashboard, query: dashboardQuery(selection) }
}

/** Year to date of the latest month with data on this device; of this month when there is none. */
export function defaultPeriod(dataset: Dataset | null, now: Date = new Date()): Period {
  const latest = dataset?.months.at(-1) ?? monthOf(now)
  const { year, month } = parseMonth(latest)
  return { kind: 'ytd', year, index: month }
}

/**
 * The units this user may look at from the top: a viewer's or reporter's own units, or for an
 * admin or a phone nobody signed in on, the top of every hierarchy on the device.
 */
export function scopeRoots(user: SessionUser | null, dataset: Dataset | null): string[] {
  if (user && user.role !== 'admin' && user.unitCodes.length > 0) return [...user.unitCodes]
  const tops = new Set<string>()
  for (const unit of dataset?.units ?? []) if (unit.parentCode === null) tops.add(unit.code)
  return [...tops].sort()
}

/** The unit to open with: a viewer's first unit, else the unit chosen on this phone, else the top. */
export function defaultUnit(
  user: SessionUser | null,
  chosen: string | null,
  roots: readonly string[],
): string | null {
  if (user?.role === 'viewer' && roots[0]) return roots[0]
  return chosen ?? roots[0] ?? null
}

export function resolveSelection(
  query: DashboardQuery,
  fallback: { unit: string | null; period: Period },
): DashboardSelection | null {
  const unit = query.unit ?? fallback.unit
  if (unit === null) return null
  return {
    unit,
    period: query.period ?? fallback.period,
    indicator: query.indicator ?? DIGITIZATION,
  }
}
