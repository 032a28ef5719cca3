/**
 * Reading targets as officials type them. A target rate is typed as a percentage ("80", "80%",
 * "80,5", "80,25 %") and a score as points ("10", "7,5").
 *
 * The rule, the same in every language: a comma is the decimal mark, as Vietnamese writes it. A dot
 * is read as a decimal mark only when it cannot be a thousands separator, that is when one to two
 * digits follow it ("80.5"); with three digits ("80.125", "100.000") a Vietnamese reader sees
 * thousands, so it is refused and the comma asked for. At most two decimals: a target is stored in
 * basis points (8025 = 80,25%), and points in hundredths.
 */
import type { Locale } from './format.ts'
import { MAX_BASIS_POINTS, MAX_TARGET_POINTS } from './targets.ts'

/** Why typed text is not a number the target screen can use. */
export type TargetNumberError =
  'required' | 'notANumber' | 'negative' | 'tooManyDecimals' | 'useComma' | 'tooHigh'

export type PercentError = TargetNumberError
export type PointsError = TargetNumberError | 'zero'

/** Reads a decimal with at most two decimals as a whole number of hundredths. */
function parseHundredths(text: string): { hundredths: number } | { error: TargetNumberError } {
  const trimmed = text.trim()
  if (trimmed === '') return { error: 'required' }
  if (/^[-−–]/u.test(trimmed) && /\d/u.test(trimmed)) return { error: 'negative' }
  const match = /^(\d+)(?:([.,])(\d+))?$/u.exec(trimmed)
  if (!match) return { error: 'notANumber' }
  const [, whole = '', mark, fraction = ''] = match
  if (mark === '.' && fraction.length >= 3) return { error: 'useComma' }
  if (fraction.length > 2) return { error: 'tooManyDecimals' }
  // Whole digits beyond a few cannot be a valid target; stopping here keeps the number exact.
  if (whole.replace(/^0+/u, '').length > 6) return { error: 'tooHigh' }
  return { hundredths: Number(whole) * 100 + Number(fraction.padEnd(2, '0')) }
}

/** Reads a typed target rate: "80,25 %" → 8025 basis points. 0% to 100%. */
export function parseTargetPercent(
  text: string,
): { basisPoints: number } | { error: PercentError } {
  // "80 %" and "80%" alike; String.prototype.trim and \s cover the no-break spaces pasted from Word.
  const withoutSign = text.replace(/\s*%\s*$/u, '')
  const parsed = parseHundredths(withoutSign)
  if ('error' in parsed) return parsed
  if (parsed.hundredths > MAX_BASIS_POINTS) return { error: 'tooHigh' }
  return { basisPoints: parsed.hundredths }
}

/** Reads the full points of an indicator's score: "7,5" → 7.5. More than 0, at most 100. */
export function parseTargetPoints(text: string): { maxPoints: number } | { error: PointsError } {
  const parsed = parseHundredths(text)
  if ('error' in parsed) return parsed
  if (parsed.hundredths === 0) return { error: 'zero' }
  if (parsed.hundredths > MAX_TARGET_POINTS * 100) return { error: 'tooHigh' }
  return { maxPoints: parsed.hundredths / 100 }
}

function formatHundredths(hundredths: number, locale: Locale): string {
  const whole = Math.trunc(hundredths / 100)
  const fraction = String(hundredths % 100)
    .padStart(2, '0')
    .replace(/0+$/u, '')
  if (fraction === '') return String(whole)
  return `${whole}${locale === 'vi' ? ',' : '.'}${fraction}`
}

/** 8050 → "80,5" (vi) or "80.5" (en), without "%": what the input shows and reads back. */
export function formatTargetPercent(basisPoints: number, locale: Locale = 'vi'): string {
  return formatHundredths(Math.round(basisPoints), locale)
}

/** 7.5 → "7,5" (vi) or "7.5" (en). */
export function formatTargetPoints(points: number, locale: Locale = 'vi'): string {
  return formatHundredths(Math.round(points * 100), locale)
}

/** The two texts of one target row on the screen. */
export interface TargetRowText {
  percent: string
  points: string
}

type TargetValues = { basisPoints: number; maxPoints: number }

export type TargetRowResult =
  /** Nothing typed and nothing stored: the row follows its default. */
  | { kind: 'empty' }
  /** The texts say what is stored already. */
  | { kind: 'unchanged' }
  | ({ kind: 'ready' } & TargetValues)
  | { kind: 'invalid'; percent: PercentError | 'cannotClear' | null; points: PointsError | null }

/**
 * Reads one row. A blank field of a row never set takes the value it would inherit (`fallback`), so
 * typing only "90" keeps the default's points; with nothing to inherit, it is required. A stored
 * target cannot be blanked: there is no "unset" for a target, only a new value.
 */
export function readTargetRow(
  text: TargetRowText,
  stored: TargetValues | null,
  fallback: TargetValues | null,
): TargetRowResult {
  const percentBlank = text.percent.trim() === ''
  const pointsBlank = text.points.trim() === ''
  if (percentBlank && pointsBlank) {
    return stored ? { kind: 'invalid', percent: 'cannotClear', points: null } : { kind: 'empty' }
  }
  const inherit = stored ? null : fallback
  const percent =
    percentBlank && inherit
      ? { basisPoints: inherit.basisPoints }
      : parseTargetPercent(text.percent)
  const points =
    pointsBlank && inherit ? { maxPoints: inherit.maxPoints } : parseTargetPoints(text.points)
  if ('error' in percent || 'error' in points) {
    return {
      kind: 'invalid',
      percent: 'error' in percent ? percent.error : null,
      points: 'error' in points ? points.error : null,
    }
  }
  if (
    stored &&
    stored.basisPoints === percent.basisPoints &&
    stored.maxPoints === points.maxPoints
  ) {
    return { kind: 'unchanged' }
  }
  return { kind: 'ready', basisPoints: percent.basisPoints, maxPoints: points.maxPoints }
}
