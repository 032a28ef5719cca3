/**
 * Numbers as Vietnamese officials write them: 96.688 (dot groups thousands) and 74,16% (comma is the
 * decimal mark). English uses 96,688 and 74.16%.
 */

export type Locale = 'vi' | 'en'

const INTL_LOCALE: Record<Locale, string> = { vi: 'vi-VN', en: 'en-US' }

const countFormats = new Map<Locale, Intl.NumberFormat>()
const rateFormats = new Map<Locale, Intl.NumberFormat>()

export function formatCount(value: number, locale: Locale = 'vi'): string {
  let format = countFormats.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits: 0 })
    countFormats.set(locale, format)
  }
  return format.format(value)
}

/** 0.7416 → "74,16%" (vi) or "74.16%" (en); null (no denominator) → "–". */
export function formatRate(rate: number | null, locale: Locale = 'vi'): string {
  if (rate === null || !Number.isFinite(rate)) return '–'
  let format = rateFormats.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale], {
      style: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    })
    rateFormats.set(locale, format)
  }
  // Intl puts a no-break space before % in some locales; the reports write 74,16% with none.
  return format.format(rate).replace(/\s%/u, '%')
}

/** The largest count one unit can report for one month; anything above is a typing error. */
export const MAX_COUNT = 1_000_000

export type ParseError = 'notANumber' | 'negative' | 'notWhole' | 'badGrouping' | 'tooLarge'

export type ParseResult = { ok: true; value: number | undefined } | { ok: false; error: ParseError }

/**
 * Reads a count typed or pasted by an official. Blank is "not reported" (undefined). Dots, spaces and
 * no-break spaces group thousands ("96.688", "96 688"); a comma is a decimal mark and so an error for a
 * count. English-style "96,688" is accepted only when every group after the first has three digits.
 */
export function parseCount(text: string): ParseResult {
  const trimmed = text.replace(/[\s\u00a0\u202f]+/gu, ' ').trim()
  if (trimmed === '') return { ok: true, value: undefined }
  if (/^[-−–]/u.test(trimmed) && /\d/u.test(trimmed)) return { ok: false, error: 'negative' }
  if (!/^[\d., ]+$/u.test(trimmed)) return { ok: false, error: 'notANumber' }
  const compact = trimmed.replace(/ /gu, '.')
  let digits: string
  if (/^\d+$/u.test(compact)) digits = compact
  else if (/^\d{1,3}(\.\d{3})+$/u.test(compact)) digits = compact.replace(/\./gu, '')
  else if (/^\d{1,3}(,\d{3})+$/u.test(compact) && !compact.includes('.')) {
    // "96,688": in vi-VN this would be 96.688 with a decimal part, which no count has. Only a
    // three-digit-grouped form is read as thousands; "1,5" stays an error below.
    digits = compact.replace(/,/gu, '')
  } else if (/^\d+([.,]\d+)?$/u.test(trimmed)) {
    // Tested on `trimmed`, not `compact`: a space only ever groups thousands, so "10 00" is a typo
    // in the grouping and not the decimal 10.00.
    return { ok: false, error: 'notWhole' }
  } else return { ok: false, error: 'badGrouping' }
  const value = Number(digits)
  if (!Number.isSafeInteger(value) || value > MAX_COUNT) return { ok: false, error: 'tooLarge' }
  return { ok: true, value }
}
