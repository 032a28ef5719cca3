import { describe, expect, it } from 'vitest'
import { INDICATORS, DIGITIZATION, type Indicator } from '../../src/domain/indicators.ts'
import { addTally, emptyTally, sumTallies, tallyRatio } from '../../src/domain/tally.ts'
import { tallyOf } from './builders.ts'

function indicator(id: Indicator['id']): Indicator {
  const found = INDICATORS.find((candidate) => candidate.id === id)
  if (!found) throw new Error(id)
  return found
}

describe('addCounts', () => {
  it('rates Σ digitized / Σ received, never the mean of the records’ rates', () => {
    // 90/100 = 90% and 150/300 = 50%: the mean would say 70%; Σ/Σ is 240/400 = 60%.
    const tally = tallyOf({ received: 100, digitized: 90 }, { received: 300, digitized: 150 })
    expect(tallyRatio(tally, DIGITIZATION)).toEqual({
      numerator: 240,
      denominator: 400,
      rate: 0.6,
      records: 2,
    })
    expect(tally.records).toBe(2)
    expect(tally.counts.received).toBe(400)
  })

  it('leaves a record out of an indicator it lacks one side of, and only of that one', () => {
    const tally = tallyOf(
      // No digitized: out of digitization, still in online (50/200).
      { received: 200, online: 50 },
      // Everything for digitization (80/100) and online (20/100).
      { received: 100, digitized: 80, online: 20 },
      // No received: out of digitization, online and reuse; its digitized still counts as a count.
      { digitized: 30, reused: 5 },
      // resolved without eResults: out of eResults.
      { resolved: 40 },
    )
    expect(tally.records).toBe(4)
    // Element sums cover every record that reported the element.
    expect(tally.counts).toEqual({
      received: 300, // 200 + 100
      digitized: 110, // 80 + 30
      resolved: 40,
      eResults: 0,
      reused: 5,
      online: 70, // 50 + 20
    })
    // digitization: only the second record, 80/100.
    expect(tallyRatio(tally, indicator('digitization'))).toEqual({
      numerator: 80,
      denominator: 100,
      rate: 0.8,
      records: 1,
    })
    // online: first and second, (50 + 20)/(200 + 100) = 70/300.
    expect(tallyRatio(tally, indicator('online'))).toEqual({
      numerator: 70,
      denominator: 300,
      rate: 70 / 300,
      records: 2,
    })
    // reuse: the only record with reused has no received.
    expect(tallyRatio(tally, indicator('reuse'))).toEqual({
      numerator: 0,
      denominator: 0,
      rate: null,
      records: 0,
    })
    expect(tallyRatio(tally, indicator('eResults')).records).toBe(0)
  })

  it('counts a reported zero: 0/0 is a record with no rate, 0/50 is 0%', () => {
    const tally = tallyOf({ received: 0, digitized: 0 })
    expect(tallyRatio(tally, DIGITIZATION)).toEqual({
      numerator: 0,
      denominator: 0,
      rate: null,
      records: 1,
    })
    expect(tallyRatio(tallyOf({ received: 50, digitized: 0 }), DIGITIZATION).rate).toBe(0)
  })
})

describe('addTally and sumTallies', () => {
  const a = tallyOf({ received: 100, digitized: 90 }, { received: 10, online: 4 })
  const b = tallyOf({ received: 300, digitized: 150, online: 30 })

  it('adds element sums, records and every indicator’s sums', () => {
    const total = emptyTally()
    addTally(total, a)
    addTally(total, b)
    // Same as tallying the three records at once.
    expect(total).toEqual(
      tallyOf(
        { received: 100, digitized: 90 },
        { received: 10, online: 4 },
        { received: 300, digitized: 150, online: 30 },
      ),
    )
    expect(total.records).toBe(3)
    expect(total.counts.received).toBe(410) // 100 + 10 + 300
    // digitization: (90 + 150)/(100 + 300) = 240/400; the online-only record is not in it.
    expect(tallyRatio(total, DIGITIZATION)).toEqual({
      numerator: 240,
      denominator: 400,
      rate: 0.6,
      records: 2,
    })
    // online: (4 + 30)/(10 + 300) = 34/310.
    expect(tallyRatio(total, indicator('online'))).toMatchObject({
      numerator: 34,
      denominator: 310,
      records: 2,
    })
  })

  it('sums into a new tally and leaves its inputs alone', () => {
    const before = structuredClone(a)
    const total = sumTallies([a, b, a])
    expect(a).toEqual(before)
    expect(total).not.toBe(a)
    // a twice and b: digitization (90 + 150 + 90)/(100 + 300 + 100) = 330/500 = 66%.
    expect(tallyRatio(total, DIGITIZATION)).toEqual({
      numerator: 330,
      denominator: 500,
      rate: 0.66,
      records: 3,
    })
    expect(total.records).toBe(5) // 2 + 1 + 2
  })

  it('sums nothing to an empty tally', () => {
    expect(sumTallies([])).toEqual(emptyTally())
    expect(tallyRatio(sumTallies([]), DIGITIZATION).rate).toBeNull()
  })
})
