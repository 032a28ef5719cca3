import { describe, expect, it } from 'vitest'
import {
  MAX_COUNT,
  formatCount,
  formatRate,
  parseCount,
  type Locale,
  type ParseError,
} from '../../src/domain/format.ts'

describe('formatCount', () => {
  it.each<[number, Locale, string]>([
    [96688, 'vi', '96.688'],
    [96688, 'en', '96,688'],
    [141616, 'vi', '141.616'],
    [1_000_000, 'vi', '1.000.000'],
    [1234, 'vi', '1.234'],
    [999, 'vi', '999'],
    [0, 'vi', '0'],
  ])('%d (%s) → %s', (value, locale, expected) => {
    expect(formatCount(value, locale)).toBe(expected)
  })

  it('defaults to Vietnamese', () => {
    expect(formatCount(28627)).toBe('28.627')
  })
})

describe('formatRate', () => {
  it.each<[number | null, Locale, string]>([
    [0.7416, 'vi', '74,16%'],
    [0.7416, 'en', '74.16%'],
    [0.5753, 'vi', '57,53%'],
    [0.3623, 'vi', '36,23%'],
    [0, 'vi', '0,00%'],
    [1, 'vi', '100,00%'],
    [0.74155, 'vi', '74,16%'],
    [null, 'vi', '–'],
    [Number.NaN, 'vi', '–'],
    [Number.POSITIVE_INFINITY, 'en', '–'],
  ])('%s (%s) → %s', (rate, locale, expected) => {
    expect(formatRate(rate, locale)).toBe(expected)
  })

  it('never leaves a space before the percent sign', () => {
    for (const locale of ['vi', 'en'] satisfies Locale[]) {
      expect(formatRate(0.5, locale)).toMatch(/\d%$/u)
    }
  })
})

describe('parseCount', () => {
  it.each<[string, number | undefined]>([
    ['96.688', 96688],
    ['96 688', 96688],
    ['96\u00a0688', 96688],
    ['96\u202f688', 96688],
    ['96688', 96688],
    ['  96688  ', 96688],
    ['96,688', 96688],
    ['0', 0],
    ['007', 7],
    ['1.000.000', 1_000_000],
    ['1,000,000', 1_000_000],
    ['', undefined],
    ['  ', undefined],
    ['\t\u00a0', undefined],
  ])('%j → %s', (text, value) => {
    expect(parseCount(text)).toEqual({ ok: true, value })
  })

  it.each<[string, ParseError]>([
    ['abc', 'notANumber'],
    ['12a', 'notANumber'],
    ['1e12', 'notANumber'],
    ['+5', 'notANumber'],
    ['-', 'notANumber'],
    ['-5', 'negative'],
    ['−5', 'negative'],
    ['- 1.000', 'negative'],
    ['1,5', 'notWhole'],
    ['96.68', 'notWhole'],
    ['12,25', 'notWhole'],
    ['96.6880', 'notWhole'],
    ['1.000,5', 'badGrouping'],
    ['1,000.000', 'badGrouping'],
    ['1.00.000', 'badGrouping'],
    ['.5', 'badGrouping'],
    ['96..688', 'badGrouping'],
    // A space only ever groups thousands, so a two-digit group is a typo, not a decimal part.
    ['10 00', 'badGrouping'],
    ['2.000.000', 'tooLarge'],
    ['1.000.001', 'tooLarge'],
    ['99999999999999999999', 'tooLarge'],
  ])('%j → %s', (text, error) => {
    expect(parseCount(text)).toEqual({ ok: false, error })
  })

  it('accepts MAX_COUNT and rejects one more', () => {
    expect(parseCount(String(MAX_COUNT))).toEqual({ ok: true, value: MAX_COUNT })
    expect(parseCount(String(MAX_COUNT + 1))).toEqual({ ok: false, error: 'tooLarge' })
  })

  it.each([0, 7, 999, 1000, 96688, 141616, MAX_COUNT])(
    'reads back what formatCount writes: %d',
    (value) => {
      expect(parseCount(formatCount(value, 'vi'))).toEqual({ ok: true, value })
      expect(parseCount(formatCount(value, 'en'))).toEqual({ ok: true, value })
    },
  )
})
