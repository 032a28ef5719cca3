import { describe, expect, it } from 'vitest'
import {
  formatTargetPercent,
  formatTargetPoints,
  parseTargetPercent,
  parseTargetPoints,
  readTargetRow,
} from '../../src/domain/targetInput.ts'

describe('parseTargetPercent', () => {
  it.each([
    ['80', 8000],
    ['80%', 8000],
    [' 80 % ', 8000],
    ['80,5', 8050],
    ['80,25 %', 8025],
    ['80,05', 8005],
    ['80.5', 8050],
    ['80.25', 8025],
    ['0', 0],
    ['100', 10000],
    ['100,00', 10000],
    ['007', 700],
    ['80\u00a0%', 8000],
  ])('reads %j as %d basis points', (text, basisPoints) => {
    expect(parseTargetPercent(text)).toEqual({ basisPoints })
  })

  it.each([
    ['', 'required'],
    ['  ', 'required'],
    ['%', 'required'],
    ['abc', 'notANumber'],
    ['80a', 'notANumber'],
    ['tám mươi', 'notANumber'],
    ['80,5,5', 'notANumber'],
    ['1.000,5', 'notANumber'],
    ['80 5', 'notANumber'],
    ['1e2', 'notANumber'],
    [',5', 'notANumber'],
    ['80,', 'notANumber'],
    ['-5', 'negative'],
    ['−80', 'negative'],
    ['80,125', 'tooManyDecimals'],
    // A dot before three digits is the thousands separator in Vietnamese: never guessed as decimals.
    ['80.125', 'useComma'],
    ['100.000', 'useComma'],
    ['100,01', 'tooHigh'],
    ['101', 'tooHigh'],
    ['8000', 'tooHigh'],
    ['99999999999999999999', 'tooHigh'],
  ])('refuses %j: %s', (text, error) => {
    expect(parseTargetPercent(text)).toEqual({ error })
  })
})

describe('parseTargetPoints', () => {
  it.each([
    ['10', 10],
    ['7,5', 7.5],
    ['7.5', 7.5],
    ['0,25', 0.25],
    ['100', 100],
  ])('reads %j as %d points', (text, maxPoints) => {
    expect(parseTargetPoints(text)).toEqual({ maxPoints })
  })

  it.each([
    ['', 'required'],
    ['0', 'zero'],
    ['0,00', 'zero'],
    ['-1', 'negative'],
    ['10%', 'notANumber'],
    ['101', 'tooHigh'],
    ['7,125', 'tooManyDecimals'],
  ])('refuses %j: %s', (text, error) => {
    expect(parseTargetPoints(text)).toEqual({ error })
  })
})

describe('formatting for the input', () => {
  it.each([
    [8000, 'vi', '80'],
    [8050, 'vi', '80,5'],
    [8025, 'vi', '80,25'],
    [8005, 'vi', '80,05'],
    [8050, 'en', '80.5'],
    [0, 'vi', '0'],
    [10000, 'vi', '100'],
  ] as const)('%d basis points (%s) → %j, which reads back the same', (bp, locale, text) => {
    expect(formatTargetPercent(bp, locale)).toBe(text)
    expect(parseTargetPercent(text)).toEqual({ basisPoints: bp })
  })

  it.each([
    [10, 'vi', '10'],
    [7.5, 'vi', '7,5'],
    [7.5, 'en', '7.5'],
    [0.25, 'vi', '0,25'],
  ] as const)('%d points (%s) → %j', (points, locale, text) => {
    expect(formatTargetPoints(points, locale)).toBe(text)
    expect(parseTargetPoints(text)).toEqual({ maxPoints: points })
  })
})

describe('readTargetRow', () => {
  const builtIn = { basisPoints: 8000, maxPoints: 10 }

  it('is empty when nothing is typed and nothing stored', () => {
    expect(readTargetRow({ percent: '', points: ' ' }, null, builtIn)).toEqual({ kind: 'empty' })
  })

  it('takes the inherited points when only the rate is typed, and the other way round', () => {
    expect(readTargetRow({ percent: '90', points: '' }, null, builtIn)).toEqual({
      kind: 'ready',
      basisPoints: 9000,
      maxPoints: 10,
    })
    expect(readTargetRow({ percent: '', points: '15' }, null, builtIn)).toEqual({
      kind: 'ready',
      basisPoints: 8000,
      maxPoints: 15,
    })
  })

  it('requires both fields when there is nothing to inherit', () => {
    expect(readTargetRow({ percent: '50', points: '' }, null, null)).toEqual({
      kind: 'invalid',
      percent: null,
      points: 'required',
    })
  })

  it('reports both fields at once', () => {
    expect(readTargetRow({ percent: '120', points: '0' }, null, builtIn)).toEqual({
      kind: 'invalid',
      percent: 'tooHigh',
      points: 'zero',
    })
  })

  it('sees a stored target typed again as unchanged', () => {
    expect(
      readTargetRow(
        { percent: '85,5', points: '10' },
        { basisPoints: 8550, maxPoints: 10 },
        builtIn,
      ),
    ).toEqual({ kind: 'unchanged' })
  })

  it('never blanks a stored target, field by field or whole', () => {
    const stored = { basisPoints: 9000, maxPoints: 12 }
    expect(readTargetRow({ percent: '', points: '' }, stored, builtIn)).toEqual({
      kind: 'invalid',
      percent: 'cannotClear',
      points: null,
    })
    expect(readTargetRow({ percent: '', points: '12' }, stored, builtIn)).toEqual({
      kind: 'invalid',
      percent: 'required',
      points: null,
    })
  })
})
