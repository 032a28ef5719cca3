import { describe, expect, it } from 'vitest'
import { DATA_ELEMENTS, type Counts, type DataElement } from '../../src/domain/indicators.ts'
import {
  MIN_HISTORY,
  expectedRange,
  validateCounts,
  validateInput,
  type FieldError,
} from '../../src/domain/validation.ts'

/** A complete, consistent month; override the fields a case is about. */
function makeCounts(overrides: Counts = {}): Counts {
  return {
    received: 200,
    digitized: 150,
    resolved: 190,
    eResults: 120,
    reused: 40,
    online: 90,
    ...overrides,
  }
}

/** The form's text fields for `makeCounts`, as an official would type them. */
function makeInput(
  overrides: Partial<Record<DataElement, string>> = {},
): Partial<Record<DataElement, string>> {
  const counts = makeCounts()
  const input: Partial<Record<DataElement, string>> = {}
  for (const field of DATA_ELEMENTS) input[field] = String(counts[field])
  return { ...input, ...overrides }
}

function history(field: DataElement, values: readonly number[]): Counts[] {
  return values.map((value) => ({ [field]: value }))
}

describe('validateCounts: errors', () => {
  it('accepts a complete, consistent month', () => {
    expect(validateCounts(makeCounts())).toEqual({ counts: makeCounts(), errors: [], warnings: [] })
  })

  it('accepts a month with only the required fields', () => {
    expect(validateCounts({ received: 10, digitized: 0 }).errors).toEqual([])
  })

  it('accepts zero everywhere (a month with no dossiers)', () => {
    const zero = makeCounts({
      received: 0,
      digitized: 0,
      resolved: 0,
      eResults: 0,
      reused: 0,
      online: 0,
    })
    expect(validateCounts(zero).errors).toEqual([])
  })

  it.each<[Counts, FieldError[]]>([
    [
      {},
      [
        { field: 'received', code: 'required' },
        { field: 'digitized', code: 'required' },
      ],
    ],
    [{ received: 10 }, [{ field: 'digitized', code: 'required' }]],
    [{ digitized: 10 }, [{ field: 'received', code: 'required' }]],
  ])('requires received and digitized: %o', (counts, errors) => {
    expect(validateCounts(counts).errors).toEqual(errors)
  })

  it.each<[Counts, FieldError[]]>([
    [makeCounts({ digitized: 201 }), [{ field: 'digitized', code: 'exceeds', other: 'received' }]],
    [makeCounts({ online: 201 }), [{ field: 'online', code: 'exceeds', other: 'received' }]],
    [makeCounts({ reused: 201 }), [{ field: 'reused', code: 'exceeds', other: 'received' }]],
    [makeCounts({ eResults: 191 }), [{ field: 'eResults', code: 'exceeds', other: 'resolved' }]],
    [
      makeCounts({ received: 100, digitized: 150, online: 101 }),
      [
        { field: 'digitized', code: 'exceeds', other: 'received' },
        { field: 'online', code: 'exceeds', other: 'received' },
      ],
    ],
  ])('a numerator above its denominator: %o', (counts, errors) => {
    expect(validateCounts(counts).errors).toEqual(errors)
  })

  it.each<[Counts]>([
    [makeCounts({ digitized: 200 })],
    [makeCounts({ eResults: 190 })],
    // resolved may exceed received: a month can close dossiers received earlier.
    [makeCounts({ resolved: 250 })],
    // A blank denominator cannot be exceeded.
    [{ received: 5, digitized: 5, eResults: 99 }],
  ])('no cap error at or without the limit: %o', (counts) => {
    expect(validateCounts(counts).errors).toEqual([])
  })

  it.each<[Counts, FieldError[]]>([
    [makeCounts({ online: 1.5 }), [{ field: 'online', code: 'notWhole' }]],
    [makeCounts({ online: Number.NaN }), [{ field: 'online', code: 'notWhole' }]],
    [makeCounts({ reused: -1 }), [{ field: 'reused', code: 'negative' }]],
    [makeCounts({ received: 1_000_001 }), [{ field: 'received', code: 'tooLarge' }]],
  ])('a number that is not a count: %o', (counts, errors) => {
    expect(validateCounts(counts).errors).toEqual(errors)
  })

  it('checks no cap against a field that is already wrong', () => {
    // digitized 150 > received 1.5 would be noise on top of the real error.
    expect(validateCounts(makeCounts({ received: 1.5 })).errors).toEqual([
      { field: 'received', code: 'notWhole' },
    ])
  })
})

describe('validateInput', () => {
  it('parses Vietnamese grouping and returns the numbers', () => {
    const result = validateInput(makeInput({ received: '1.200', digitized: '1 100' }))
    expect(result.errors).toEqual([])
    expect(result.counts).toMatchObject({ received: 1200, digitized: 1100 })
  })

  it('treats a blank optional field as not reported, not zero', () => {
    const result = validateInput({ received: '10', digitized: '5', online: '  ' })
    expect(result.errors).toEqual([])
    expect(result.counts).toEqual({ received: 10, digitized: 5 })
  })

  it('reports blank required fields', () => {
    expect(validateInput({}).errors).toEqual([
      { field: 'received', code: 'required' },
      { field: 'digitized', code: 'required' },
    ])
  })

  it.each<[Partial<Record<DataElement, string>>, FieldError[]]>([
    // Not also "required": the field was filled in, just wrongly.
    [makeInput({ received: 'abc' }), [{ field: 'received', code: 'notANumber' }]],
    [makeInput({ digitized: '1,5' }), [{ field: 'digitized', code: 'notWhole' }]],
    [makeInput({ digitized: '-3' }), [{ field: 'digitized', code: 'negative' }]],
    [makeInput({ received: '2.000.000' }), [{ field: 'received', code: 'tooLarge' }]],
    [makeInput({ resolved: '12a' }), [{ field: 'resolved', code: 'notANumber' }]],
    [
      makeInput({ received: 'x', digitized: 'y' }),
      [
        { field: 'received', code: 'notANumber' },
        { field: 'digitized', code: 'notANumber' },
      ],
    ],
  ])('reports a parse error once per field: %o', (input, errors) => {
    expect(validateInput(input).errors).toEqual(errors)
  })

  it('checks caps between fields that parsed', () => {
    expect(validateInput(makeInput({ received: '1.000', digitized: '1.001' })).errors).toEqual([
      { field: 'digitized', code: 'exceeds', other: 'received' },
    ])
  })

  it('passes history through for warnings', () => {
    const past = history('received', [200, 210, 190, 205, 195, 200])
    const result = validateInput(makeInput({ received: '2.000', digitized: '150' }), past)
    expect(result.warnings.map((warning) => warning.field)).toEqual(['received'])
  })
})

describe('outlier warnings', () => {
  const steady = [200, 210, 190, 205, 195, 200]

  it('needs MIN_HISTORY months of that field', () => {
    expect(MIN_HISTORY).toBe(6)
    expect(expectedRange(steady.slice(0, 5))).toBeNull()
    expect(expectedRange(steady)).not.toBeNull()
  })

  it('does not warn with fewer than six months of history', () => {
    const result = validateCounts(
      makeCounts({ received: 5000 }),
      history('received', steady.slice(0, 5)),
    )
    expect(result.warnings).toEqual([])
  })

  it('counts only months that reported the field', () => {
    const past = [...history('received', steady.slice(0, 5)), { digitized: 10 }, { digitized: 12 }]
    expect(validateCounts(makeCounts({ received: 5000, digitized: 4000 }), past).warnings).toEqual(
      [],
    )
  })

  it.each([5000, 2000, 20])('warns for %d against a steady ~200', (received) => {
    const result = validateCounts({ received, digitized: 10 }, history('received', steady))
    const range = expectedRange(steady)
    expect(result.warnings).toEqual([{ field: 'received', code: 'outlier', ...range }])
    expect(result.errors).toEqual([])
  })

  it.each([100, 150, 200, 250, 300])('does not warn for %d, within the range', (received) => {
    const result = validateCounts(
      makeCounts({ received, digitized: 50, resolved: 50, eResults: 0, reused: 0, online: 0 }),
      history('received', steady),
    )
    expect(result.warnings).toEqual([])
  })

  it('gives a robust range: one wild month in the history does not widen it much', () => {
    const range = expectedRange([200, 210, 190, 205, 195, 200, 90_000])
    expect(range).not.toBeNull()
    expect(range!.high).toBeLessThan(400)
  })

  it.each<[readonly number[], { low: number; high: number }]>([
    // ±50% of the median when the series is flat.
    [[200, 200, 200, 200, 200, 200], { low: 100, high: 300 }],
    // At least ±10 for tiny counts, never below zero.
    [[0, 0, 0, 0, 0, 0], { low: 0, high: 10 }],
    [[4, 4, 4, 4, 4, 4], { low: 0, high: 14 }],
  ])('expectedRange(%o) = %o', (values, range) => {
    expect(expectedRange(values)).toEqual(range)
  })

  it('does not warn about a field that has an error', () => {
    const result = validateCounts(makeCounts({ received: 1.5 }), history('received', steady))
    expect(result.warnings).toEqual([])
  })
})
