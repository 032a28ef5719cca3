import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ReportDocument from '../../../src/app/components/report/ReportDocument.vue'
import { reportTables } from '../../../src/app/components/report/reportTables.ts'
import { continuitySentence } from '../../../src/app/components/report/reportText.ts'
import { toCsv } from '../../../src/app/export/csv.ts'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'
import type { Period } from '../../../src/domain/periods.ts'
import { buildReport, type Report } from '../../../src/domain/report.ts'
import type { Unit } from '../../../src/domain/units.ts'
import { makeContinuityDataset } from './ContinuityFixture.ts'

const NOW = new Date('2026-05-15T03:00:00.000Z')
const YEAR_2025: Period = { kind: 'year', year: 2025, index: 12 }
const dataset = makeContinuityDataset()

function reportOf(rootCode: string, period: Period = YEAR_2025): Report & { root: Unit } {
  const report = buildReport({ dataset, rootCode, period, targets: [], now: NOW })
  if (!report.root) throw new Error(`no root ${rootCode}`)
  return { ...report, root: report.root }
}

function mountReport(report: Report & { root: Unit }) {
  return mount(ReportDocument, { props: { report, now: NOW } })
}

type Wrapper = ReturnType<typeof mountReport>

function rows(wrapper: Wrapper, id: string): string[][] {
  return wrapper
    .findAll(`table[data-table="${id}"] tbody tr`)
    .map((row) => row.findAll('th, td').map((cell) => cell.text()))
}

afterEach(() => {
  useI18n().locale.value = 'vi'
})

describe('report on a new commune with an approximate history (Xã Đông, 2025)', () => {
  const report = reportOf('42013')

  it('writes "≈" before the figures in its sentences and says why', () => {
    const wrapper = mountReport(report)
    expect(wrapper.findAll('[data-testid="report-sentence"]').map((p) => p.text())).toEqual([
      'Số hoá hồ sơ thủ tục hành chính của cấp xã là ≈ 10.200 hồ sơ, đạt tỷ lệ ≈ 85,00%.',
      'Chỉ tiêu tỷ lệ số hoá năm 2025 là 80,00%: đạt chỉ tiêu; điểm theo Quyết định 766/QĐ-TTg đạt ≈ 10/10 điểm.',
    ])
    expect(wrapper.get('[data-testid="report-continuity"]').text()).toBe(
      'Số liệu trước 01/07/2025 của Xã Đông là tổng các xã cũ sáp nhập vào; có xã cũ chỉ nhập một phần nên số liệu là gần đúng (đánh dấu ≈). Nhập một phần: Xã Chè.',
    )
  })

  it('marks the figures of its tables and notes them in a column', () => {
    const wrapper = mountReport(report)
    expect(rows(wrapper, 'levels')).toEqual([
      ['Cấp xã', '≈ 12.000', '≈ 10.200', '≈ 85,00%', 'Gần đúng (≈)'],
      ['Tổng cộng', '≈ 12.000', '≈ 10.200', '≈ 85,00%', 'Gần đúng (≈)'],
    ])
    expect(rows(wrapper, 'indicators')[0]).toEqual([
      'Tỷ lệ số hoá',
      '≈ 10.200',
      '≈ 12.000',
      '≈ 85,00%',
      'Gần đúng (≈)',
    ])
    // Only received and digitized were reported: the other indicators have nothing to mark.
    expect(rows(wrapper, 'indicators')[1]?.slice(1)).toEqual(['0', '0', '–', '–'])
  })

  it('exports the note column with the figures as numbers', () => {
    const levels = reportTables(report, 'vi').find((table) => table.id === 'levels')
    if (!levels) throw new Error('no levels table')
    expect(toCsv([levels]).replace('\uFEFF', '').split('\r\n').slice(0, 2)).toEqual([
      'Cấp chính quyền,Hồ sơ tiếp nhận,Hồ sơ đã số hoá,Tỷ lệ số hoá (%),Ghi chú',
      'Cấp xã,12000,10200,85.00,Gần đúng (≈)',
    ])
  })

  it('says the same in English', () => {
    useI18n().locale.value = 'en'
    const wrapper = mountReport(report)
    expect(wrapper.findAll('[data-testid="report-sentence"]')[0]?.text()).toBe(
      'At the commune level, ≈ 10,200 dossiers were digitized, a rate of ≈ 85.00%.',
    )
    expect(wrapper.get('[data-testid="report-continuity"]').text()).toBe(
      'Figures before 1 July 2025 for Dong Commune are the sum of the former communes merged into it; some former communes were only partly merged, so the figures are approximate (marked ≈). Partly merged: Che Commune.',
    )
    expect(rows(wrapper, 'levels')[1]).toEqual([
      'Total',
      '≈ 12,000',
      '≈ 10,200',
      '≈ 85.00%',
      'Approximate (≈)',
    ])
  })
})

describe('report on a new commune formed wholly from old ones (Xã Cát, 2025)', () => {
  it('names the former units and marks nothing', () => {
    const report = reportOf('42010')
    expect(continuitySentence(report, 'vi')).toBe(
      'Số liệu trước 01/07/2025 là tổng của các đơn vị cũ: Xã An, Xã Bình.',
    )
    const wrapper = mountReport(report)
    expect(wrapper.text()).not.toContain('≈')
    expect(rows(wrapper, 'levels')[1]).toEqual(['Tổng cộng', '36.000', '30.000', '83,33%'])
  })

  it('has no such sentence after the reform', () => {
    const report = reportOf('42010', { kind: 'half', year: 2025, index: 2 })
    expect(continuitySentence(report, 'vi')).toBeNull()
    expect(mountReport(report).find('[data-testid="report-continuity"]').exists()).toBe(false)
  })
})

describe('report on a new province formed partly from an old one (2025)', () => {
  const report = reportOf('42')

  it('marks the level and the unit that came through the partial province', () => {
    const wrapper = mountReport(report)
    expect(rows(wrapper, 'levels')).toEqual([
      ['Cấp tỉnh', '≈ 39.000', '≈ 33.900', '≈ 86,92%', 'Gần đúng (≈)'],
      ['Cấp xã', '48.000', '40.200', '83,75%', '–'],
      ['Tổng cộng', '≈ 87.000', '≈ 74.100', '≈ 85,17%', 'Gần đúng (≈)'],
    ])
    const units = rows(wrapper, 'units')
    expect(units.map((row) => row[1])).toEqual([
      'Sở Tư pháp',
      'Xã Cát',
      'Xã Đông',
      'Huyện Một',
      'Sở Y tế tỉnh Bên',
    ])
    expect(units[4]).toEqual([
      '5',
      'Sở Y tế tỉnh Bên',
      '≈ 3.000',
      '≈ 1.500',
      '≈ 50,00%',
      '80,00%',
      'Chưa đạt',
      '≈ 6,25',
      'Chỉ một phần nhập vào (≈)',
    ])
    expect(units[0]?.at(-1)).toBe('–')
    expect(wrapper.get('[data-testid="report-continuity"]').text()).toContain(
      'Nhập một phần: Tỉnh Bên.',
    )
  })
})
