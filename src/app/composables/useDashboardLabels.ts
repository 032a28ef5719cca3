/**
 * Words and numbers of the dashboard that the shared i18n helpers do not cover: period names, unit
 * names in the chosen language, 766 points and percentage-point gaps, month labels on chart axes.
 */
import type { Locale } from '../../domain/format.ts'
import { parseMonth, type Month, type Period } from '../../domain/periods.ts'
import type { Unit } from '../../domain/units.ts'
import { useI18n, type UseI18nReturn } from '../i18n/useI18n.ts'

const INTL_LOCALE: Record<Locale, string> = { vi: 'vi-VN', en: 'en-US' }
const ROMAN = ['I', 'II', 'III', 'IV'] as const

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function numberFormat(locale: Locale, digits: number, fixed: boolean): Intl.NumberFormat {
  const key = `n/${locale}/${digits}/${fixed}`
  let format = cache.get(key)
  if (!(format instanceof Intl.NumberFormat)) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale], {
      minimumFractionDigits: fixed ? digits : 0,
      maximumFractionDigits: digits,
    })
    cache.set(key, format)
  }
  return format
}
function monthName(
  locale: Locale,
  style: 'long' | 'short',
  withYear: boolean,
): Intl.DateTimeFormat {
  const key = `m/${locale}/${style}/${withYear}`
  let format = cache.get(key)
  if (!(format instanceof Intl.DateTimeFormat)) {
    format = new Intl.DateTimeFormat('en-GB', {
      month: style,
      ...(withYear ? { year: '2-digit' } : {}),
      timeZone: 'UTC',
    })
    cache.set(key, format)
  }
  return format
}
const utc = (month: Month): Date => {
  const { year, month: m } = parseMonth(month)
  return new Date(Date.UTC(year, m - 1, 1))
}

/** 766 points, up to two decimals: "7,19" (vi), "7.19" (en). */
export function formatPoints(value: number | null, locale: Locale): string {
  return value === null || !Number.isFinite(value)
    ? '–'
    : numberFormat(locale, 2, false).format(value)
}

/** A gap in percentage points, one decimal: "3,2" (vi). */
export function formatGap(value: number, locale: Locale): string {
  return numberFormat(locale, 1, true).format(value)
}

/** Axis label of a month: "T3" / "Mar" within a year, "3/25" / "Mar 25" across years. */
export function chartMonthLabel(month: Month, locale: Locale, withYear: boolean): string {
  const { year, month: m } = parseMonth(month)
  if (locale === 'vi') return withYear ? `${m}/${String(year).slice(2)}` : `T${m}`
  return monthName(locale, 'short', withYear).format(utc(month))
}

/** A day as the screens write it: "01/07/2025" (vi), "1 July 2025" (en). */
export function formatDay(isoDate: string, locale: Locale): string {
  const [year, month, day] = isoDate.split('-')
  if (locale === 'vi') return `${day}/${month}/${year}`
  const key = 'd/en'
  let format = cache.get(key)
  if (!(format instanceof Intl.DateTimeFormat)) {
    format = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    })
    cache.set(key, format)
  }
  return format.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))))
}

/** The mark written before an approximate figure. */
export const APPROXIMATE_MARK = '≈'

/** "≈ 74,16%": a figure that is approximate says so before the number, in text, not colour. */
export function approximately(text: string, approximate: boolean): string {
  return approximate && text !== '–' ? `${APPROXIMATE_MARK} ${text}` : text
}

export interface UseDashboardLabelsReturn extends UseI18nReturn {
  /** "từ đầu năm đến hết tháng 10/2026", "quý III/2026"… to follow an indicator's name. */
  period: (period: Period) => string
  unitName: (unit: Unit) => string
  points: (value: number | null) => string
  gap: (value: number) => string
  /** "08/2026" (vi), "August 2026" (en): the month a target is reached. */
  reachMonth: (month: Month) => string
  /** "Tháng 10" (vi), "October" (en): a month of a year already named beside it. */
  monthName: (month: number) => string
  /** "01/07/2025" (vi), "1 July 2025" (en). */
  day: (isoDate: string) => string
}

export function useDashboardLabels(): UseDashboardLabelsReturn {
  const i18n = useI18n()
  const { t, locale } = i18n
  const monthOfYear = (m: number): string =>
    locale.value === 'vi'
      ? String(m)
      : monthName(locale.value, 'long', false).format(new Date(Date.UTC(2000, m - 1, 1)))

  function period({ kind, year, index }: Period): string {
    const y = String(year)
    switch (kind) {
      case 'month':
        return t('dashboard.periods.month', { month: monthOfYear(index), year: y })
      case 'quarter':
        return t('dashboard.periods.quarter', {
          quarter: locale.value === 'vi' ? (ROMAN[index - 1] ?? String(index)) : String(index),
          year: y,
        })
      case 'half': {
        const half = t(index === 1 ? 'dashboard.halves.first' : 'dashboard.halves.second')
        return t('dashboard.periods.half', { half: half.toLocaleLowerCase(locale.value), year: y })
      }
      case 'year':
        return t('dashboard.periods.year', { year: y })
      case 'ytd':
        return t('dashboard.periods.ytd', { month: monthOfYear(index), year: y })
    }
  }

  return {
    ...i18n,
    period,
    unitName: (unit) => (locale.value === 'en' && unit.nameEn ? unit.nameEn : unit.name),
    points: (value) => formatPoints(value, locale.value),
    gap: (value) => formatGap(value, locale.value),
    monthName: (m) => (locale.value === 'vi' ? `Tháng ${m}` : monthOfYear(m)),
    day: (isoDate) => formatDay(isoDate, locale.value),
    reachMonth: (month) => {
      const { year, month: m } = parseMonth(month)
      return locale.value === 'vi'
        ? `${String(m).padStart(2, '0')}/${year}`
        : `${monthOfYear(m)} ${year}`
    },
  }
}
