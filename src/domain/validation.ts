/**
 * Checks one month's counts before they are saved. Errors block the save; warnings (values far
 * outside the unit's own history, as in DHIS2's min-max check) only ask the official to look again.
 * Issues carry codes and parameters; the UI's catalogue turns them into Vietnamese or English.
 */
import {
  DATA_ELEMENTS,
  INDICATORS,
  REQUIRED_ELEMENTS,
  type Counts,
  type DataElement,
} from './indicators.ts'
import { MAX_COUNT, parseCount, type ParseError } from './format.ts'

export type ErrorCode = ParseError | 'required' | 'exceeds'

export type FieldError =
  | { field: DataElement; code: ParseError | 'required' }
  | { field: DataElement; code: 'exceeds'; other: DataElement }

export interface FieldWarning {
  field: DataElement
  code: 'outlier'
  low: number
  high: number
}

export interface Validation {
  counts: Counts
  errors: FieldError[]
  warnings: FieldWarning[]
}

/** Numerators that may never exceed their denominator, from the indicator list. */
const CAPS: ReadonlyArray<readonly [DataElement, DataElement]> = INDICATORS.map(
  (indicator) => [indicator.numerator, indicator.denominator] as const,
)

/** Parses the form's text fields and checks them together. */
export function validateInput(
  input: Partial<Record<DataElement, string>>,
  history: readonly Counts[] = [],
): Validation {
  const counts: Counts = {}
  const errors: FieldError[] = []
  for (const field of DATA_ELEMENTS) {
    const parsed = parseCount(input[field] ?? '')
    if (!parsed.ok) errors.push({ field, code: parsed.error })
    else if (parsed.value !== undefined) counts[field] = parsed.value
  }
  const result = validateCounts(counts, history)
  const parsedFields = new Set(errors.map((error) => error.field))
  // A field that did not parse is reported once, for the parse error.
  result.errors = [...errors, ...result.errors.filter((error) => !parsedFields.has(error.field))]
  return result
}

/** Checks counts that are already numbers (from the form, an import or the server). */
export function validateCounts(counts: Counts, history: readonly Counts[] = []): Validation {
  const errors: FieldError[] = []
  for (const field of DATA_ELEMENTS) {
    const value = counts[field]
    if (value === undefined) {
      if (REQUIRED_ELEMENTS.includes(field)) errors.push({ field, code: 'required' })
    } else if (!Number.isInteger(value)) errors.push({ field, code: 'notWhole' })
    else if (value < 0) errors.push({ field, code: 'negative' })
    else if (value > MAX_COUNT) errors.push({ field, code: 'tooLarge' })
  }
  const bad = new Set(errors.map((error) => error.field))
  for (const [numerator, denominator] of CAPS) {
    const n = counts[numerator]
    const d = counts[denominator]
    if (n === undefined || d === undefined || bad.has(numerator) || bad.has(denominator)) continue
    if (n > d) errors.push({ field: numerator, code: 'exceeds', other: denominator })
  }
  const warnings: FieldWarning[] = []
  for (const field of DATA_ELEMENTS) {
    const value = counts[field]
    if (value === undefined || bad.has(field)) continue
    const range = expectedRange(history.map((h) => h[field]).filter((v) => v !== undefined))
    if (range && (value < range.low || value > range.high))
      warnings.push({ field, code: 'outlier', ...range })
  }
  return { counts, errors, warnings }
}

/** Fewest past months before a value can be called unusual. */
export const MIN_HISTORY = 6

/**
 * A robust expected range from past values: median ± 3 scaled MADs, widened to at least ±50% of the
 * median so that a steady series does not flag every small change.
 */
export function expectedRange(values: readonly number[]): { low: number; high: number } | null {
  if (values.length < MIN_HISTORY) return null
  const median = medianOf(values)
  const mad = medianOf(values.map((v) => Math.abs(v - median))) * 1.4826
  const spread = Math.max(3 * mad, median * 0.5, 10)
  return { low: Math.max(0, Math.floor(median - spread)), high: Math.ceil(median + spread) }
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
