// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  digitizationSentences,
  missingItems,
  periodText,
  placeDateLine,
  placeName,
  reportingSentences,
  targetSentence,
} from '../../../src/app/components/report/reportText.ts'
import { buildReport } from '../../../src/domain/report.ts'
import type { Period } from '../../../src/domain/periods.ts'
import {
  makeReportDataset,
  REPORT_NOW,
  REPORT_TARGETS,
  REPORT_UNITS,
} from '../../domain/reportDataset.ts'

const dataset = makeReportDataset()
const reportOf = (period: Period, rootCode = '42') =>
  buildReport({ dataset, rootCode, period, targets: REPORT_TARGETS, now: REPORT_NOW })
const june = reportOf({ kind: 'month', year: 2025, index: 6 })

describe('digitizationSentences', () => {
  it('writes the official sentence over 3 levels before the reform', () => {
    expect(digitizationSentences(june, 'vi')).toEqual([
      'Số hoá hồ sơ thủ tục hành chính của 3 cấp chính quyền là 141.616 hồ sơ, đạt tỷ lệ 59,72%.',
      'Trong đó, cấp tỉnh đã thực hiện được 28.627 hồ sơ, đạt tỷ lệ 36,23%; cấp huyện đã thực hiện được 16.301 hồ sơ, đạt tỷ lệ 58,79%; cấp xã đã thực hiện được 96.688 hồ sơ, đạt tỷ lệ 74,16%.',
    ])
    expect(digitizationSentences(june, 'en')).toEqual([
      'Across the 3 levels of government, 141,616 dossiers were digitized, a rate of 59.72%.',
      'Of these, the province level digitized 28,627 dossiers, a rate of 36.23%; the district level digitized 16,301 dossiers, a rate of 58.79%; the commune level digitized 96,688 dossiers, a rate of 74.16%.',
    ])
  })

  it('counts 2 levels after the reform', () => {
    const july = reportOf({ kind: 'month', year: 2025, index: 7 })
    expect(digitizationSentences(july, 'vi')).toEqual([
      'Số hoá hồ sơ thủ tục hành chính của 2 cấp chính quyền là 950 hồ sơ, đạt tỷ lệ 86,36%.',
      'Trong đó, cấp tỉnh đã thực hiện được 50 hồ sơ, đạt tỷ lệ 50,00%; cấp xã đã thực hiện được 900 hồ sơ, đạt tỷ lệ 90,00%.',
    ])
  })

  it('names a single level instead of counting it', () => {
    const commune = reportOf({ kind: 'month', year: 2025, index: 7 }, '42001')
    expect(digitizationSentences(commune, 'vi')).toEqual([
      'Số hoá hồ sơ thủ tục hành chính của cấp xã là 900 hồ sơ, đạt tỷ lệ 90,00%.',
    ])
  })

  it('says there is nothing yet when nothing was received', () => {
    const march = reportOf({ kind: 'month', year: 2025, index: 3 })
    expect(digitizationSentences(march, 'vi')).toEqual([
      'Chưa có số liệu số hoá hồ sơ trong kỳ báo cáo.',
    ])
  })
})

describe('other sentences', () => {
  it('compares with the target and gives the 766 score', () => {
    const commune = reportOf({ kind: 'month', year: 2025, index: 6 }, '42001')
    expect(targetSentence(commune, 'vi')).toBe(
      'Chỉ tiêu tỷ lệ số hoá năm 2025 là 70,00%: đạt chỉ tiêu; điểm theo Quyết định 766/QĐ-TTg đạt 9,27/10 điểm.',
    )
    expect(targetSentence(commune, 'en')).toBe(
      'The 2025 digitization target is 70.00%: target met; the Decision 766/QĐ-TTg score is 9.27 of 10 points.',
    )
  })

  it('reports who reported, on time and not', () => {
    const year = reportOf({ kind: 'year', year: 2025, index: 0 })
    expect(reportingSentences(year, 'vi')).toEqual([
      'Trong kỳ có 20 lượt báo cáo tháng phải thực hiện; đã báo cáo 5 lượt, đạt 25,00%; trong đó đúng hạn 4 lượt, đạt 20,00%.',
    ])
    // On 10 September August is due and nobody has reported it.
    const q3 = buildReport({
      dataset,
      rootCode: '42',
      period: { kind: 'quarter', year: 2025, index: 3 },
      targets: [],
      now: new Date('2025-09-10T02:00:00Z'),
    })
    expect(missingItems(q3, 'vi')).toEqual([
      'Sở Tư pháp (tháng 8/2025)',
      'Xã Thạch Lạc (tháng 8/2025)',
    ])
    expect(missingItems(q3, 'en')).toEqual([
      'Department of Justice (August 2025)',
      'Thach Lac Commune (August 2025)',
    ])
    expect(missingItems(june, 'vi')).toEqual([])
  })
})

describe('period, place and date', () => {
  it.each<[Period, string, string]>([
    [{ kind: 'year', year: 2026, index: 0 }, 'năm 2026', '2026'],
    [{ kind: 'half', year: 2026, index: 1 }, '6 tháng đầu năm 2026', 'first half of 2026'],
    [{ kind: 'quarter', year: 2026, index: 3 }, 'quý III năm 2026', 'Q3 2026'],
    [{ kind: 'month', year: 2026, index: 10 }, 'tháng 10 năm 2026', 'October 2026'],
    [{ kind: 'ytd', year: 2026, index: 10 }, '10 tháng đầu năm 2026', 'January to October 2026'],
  ])('writes %j', (period, vi, en) => {
    expect(periodText(period, 'vi')).toBe(vi)
    expect(periodText(period, 'en')).toBe(en)
  })

  it('writes the place and date line in Vietnam time with the official leading zeros', () => {
    const province = REPORT_UNITS[0]!
    expect(placeName(province, 'vi')).toBe('Hà Tĩnh')
    expect(placeName(province, 'en')).toBe('Ha Tinh')
    expect(placeName({ ...province, name: 'Tỉnh Sơn Hoà (mẫu)' }, 'vi')).toBe('Sơn Hoà')
    expect(placeDateLine('Hà Tĩnh', new Date('2026-11-23T03:00:00Z'), 'vi')).toBe(
      'Hà Tĩnh, ngày 23 tháng 11 năm 2026',
    )
    // 20:00 UTC on 4 January is already 5 January in Vietnam.
    expect(placeDateLine('Hà Tĩnh', new Date('2026-01-04T20:00:00Z'), 'vi')).toBe(
      'Hà Tĩnh, ngày 05 tháng 01 năm 2026',
    )
    expect(placeDateLine('Ha Tinh', new Date('2026-11-23T03:00:00Z'), 'en')).toBe(
      'Ha Tinh, 23 November 2026',
    )
  })
})
