/**
 * The report's sentences, written as officials write them ("Số hoá hồ sơ thủ tục hành chính của 3
 * cấp chính quyền là 141.616 hồ sơ, đạt tỷ lệ 57,53%. Trong đó, cấp tỉnh …"), in either language.
 * Pure functions of the report's figures, so the wording is tested without rendering anything.
 */
import { formatCount, formatRate, type Locale } from '../../../domain/format.ts'
import { parseMonth, toMonth, type Month, type Period } from '../../../domain/periods.ts'
import type { Report } from '../../../domain/report.ts'
import type { Unit } from '../../../domain/units.ts'
import { approximately, formatDay } from '../../composables/useDashboardLabels.ts'
import { formatMonth, translate } from '../../i18n/useI18n.ts'

const ROMAN = ['I', 'II', 'III', 'IV']

/** The unit's name in the language, falling back to the official Vietnamese name. */
export function unitName(unit: Unit, locale: Locale): string {
  return locale === 'en' && unit.nameEn ? unit.nameEn : unit.name
}

/** "quý III năm 2026", "Q3 2026", "10 tháng đầu năm 2026" … as the report's title says it. */
export function periodText(period: Period, locale: Locale): string {
  const year = String(period.year)
  const monthName = (index: number): string =>
    formatMonth(toMonth(period.year, index), 'en').replace(/\s\d{4}$/u, '')
  switch (period.kind) {
    case 'year':
      return translate(locale, 'report.period.year', { year })
    case 'half':
      return translate(locale, period.index === 1 ? 'report.period.half1' : 'report.period.half2', {
        year,
      })
    case 'quarter':
      return translate(locale, 'report.period.quarter', {
        year,
        quarter: locale === 'vi' ? (ROMAN[period.index - 1] ?? '') : String(period.index),
      })
    case 'month':
      return translate(locale, 'report.period.month', {
        year,
        month: String(period.index),
        monthName: monthName(period.index),
      })
    case 'ytd':
      if (period.index === 1) return periodText({ ...period, kind: 'month' }, locale)
      if (period.index === 12) return periodText({ ...period, kind: 'year' }, locale)
      return translate(locale, 'report.period.ytd', {
        year,
        n: String(period.index),
        monthName: monthName(period.index),
      })
  }
}

/** "Sơn Hoà" from "Tỉnh Sơn Hoà (mẫu)": the place name of the date line. */
export function placeName(province: Unit, locale: Locale): string {
  return unitName(province, locale)
    .replace(/\s*\([^)]*\)\s*$/u, '')
    .replace(/^(Tỉnh|Thành phố)\s+/u, '')
    .replace(/\s+(Province|City)$/u, '')
    .replace(/^(City of)\s+/u, '')
    .trim()
}

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/**
 * "Hà Tĩnh, ngày 05 tháng 01 năm 2026": the day in Vietnam time, with the leading zeros the rules
 * for official documents ask for (days below 10, January and February).
 */
export function placeDateLine(place: string, now: Date, locale: Locale): string {
  const local = new Date(now.getTime() + VIETNAM_OFFSET_MS)
  const day = local.getUTCDate()
  const month = local.getUTCMonth() + 1
  const year = local.getUTCFullYear()
  return translate(locale, 'report.placeDate', {
    place,
    day: day < 10 ? `0${day}` : String(day),
    month: month <= 2 ? `0${month}` : String(month),
    year: String(year),
    monthName: formatMonth(toMonth(year, month), 'en').replace(/\s\d{4}$/u, ''),
  })
}

/**
 * The overall digitization sentences: all levels together, then each level that has figures.
 * One level alone is named instead of counted.
 */
export function digitizationSentences(report: Report, locale: Locale): string[] {
  const levels = report.levels.filter((level) => level.digitization.denominator > 0)
  const total = report.overall.ratio
  if (levels.length === 0 || total.denominator === 0) {
    return [translate(locale, 'report.sentence.noData')]
  }
  // An approximate figure is written "≈ 96.688" in the sentence too, not only in the tables.
  const figures = (numerator: number, rate: number | null, approximate: boolean) => ({
    count: approximately(formatCount(numerator, locale), approximate),
    rate: approximately(formatRate(rate, locale), approximate),
  })
  if (levels.length === 1) {
    const level = levels[0]!
    return [
      translate(locale, 'report.sentence.single', {
        level: translate(locale, `report.levels.${level.level}`),
        ...figures(level.digitization.numerator, level.digitization.rate, level.approximate),
      }),
    ]
  }
  const parts = levels.map((level) =>
    translate(locale, 'report.sentence.part', {
      level: translate(locale, `report.levels.${level.level}`),
      ...figures(level.digitization.numerator, level.digitization.rate, level.approximate),
    }),
  )
  return [
    translate(locale, 'report.sentence.levels', {
      n: String(levels.length),
      ...figures(total.numerator, total.rate, report.continuity.approximate),
    }),
    translate(locale, 'report.sentence.among', {
      parts: parts.join(translate(locale, 'report.sentence.separator')),
    }),
  ]
}

/** "Chỉ tiêu tỷ lệ số hoá năm 2026 là 80,00%: chưa đạt chỉ tiêu; điểm … 7,19/10 điểm." */
export function targetSentence(report: Report, locale: Locale): string | null {
  const { target, meets, points } = report.overall
  if (!target || meets === null || points === null) return null
  return translate(locale, 'report.sentence.target', {
    year: String(report.period.year),
    target: formatRate(target.rate, locale),
    status: translate(locale, meets ? 'report.sentence.met' : 'report.sentence.notMet'),
    points: approximately(formatPoints(points, locale), report.continuity.approximate),
    max: formatPoints(target.maxPoints, locale),
  })
}

/**
 * Where the figures before the root existed come from: the sum of its predecessors, approximate
 * (naming the ones only partly merged) when one went in only in part; null when none are shown.
 */
export function continuitySentence(report: Report, locale: Locale): string | null {
  const { root, continuity } = report
  if (!root || !continuity.derived) return null
  const date = formatDay(root.validFrom, locale)
  if (!continuity.approximate) {
    return translate(locale, 'report.sentence.derived', {
      date,
      units: continuity.predecessors.map((p) => unitName(p.unit, locale)).join(', '),
    })
  }
  const kind = root.kind === 'commune' || root.kind === 'province' ? root.kind : 'other'
  return translate(locale, 'report.sentence.approximate', {
    date,
    unit: unitName(root, locale),
    olds: translate(locale, `dashboard.continuity.olds.${kind}`),
    partial: continuity.predecessors
      .filter((p) => p.kind === 'partial')
      .map((p) => unitName(p.unit, locale))
      .join(', '),
  })
}

const pointFormats = new Map<Locale, Intl.NumberFormat>()

/** 766 points with up to two decimals: 7,19 (vi) or 7.19 (en). */
export function formatPoints(points: number, locale: Locale): string {
  let format = pointFormats.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', {
      maximumFractionDigits: 2,
    })
    pointFormats.set(locale, format)
  }
  return format.format(points)
}

/** The reporting sentence of section IV. */
export function reportingSentences(report: Report, locale: Locale): string[] {
  const c = report.completeness
  const share = (n: number) => formatRate(c.expected > 0 ? n / c.expected : null, locale)
  const sentences = [
    translate(locale, 'report.sentence.reporting', {
      expected: formatCount(c.expected, locale),
      reported: formatCount(c.reported, locale),
      reportedRate: share(c.reported),
      onTime: formatCount(c.onTime, locale),
      onTimeRate: share(c.onTime),
    }),
  ]
  if (c.unknownTime > 0) {
    sentences.push(
      translate(locale, 'report.sentence.unknownTime', { n: formatCount(c.unknownTime, locale) }),
    )
  }
  return sentences
}

/** "Xã An Lạc (tháng 9/2026, 10/2026)" for each unit with a missing month. */
export function missingItems(report: Report, locale: Locale): string[] {
  return report.completeness.missing.map(({ unit, months }) =>
    translate(locale, 'report.sentence.missingItem', {
      unit: unitName(unit, locale),
      months: months.map((month) => monthLabel(month, locale)).join(', '),
    }),
  )
}

function monthLabel(month: Month, locale: Locale): string {
  if (locale === 'vi') {
    const { year, month: m } = parseMonth(month)
    return `${m}/${year}`
  }
  return formatMonth(month, locale)
}
