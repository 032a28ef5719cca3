import type { DashboardTable } from '../../../src/app/export/table.ts'

/** A units table as the dashboard and the report hand it to exports. */
export function makeTable(overrides: Partial<DashboardTable> = {}): DashboardTable {
  return {
    id: 'units',
    title: 'Theo đơn vị',
    columns: [
      { key: 'unit', label: 'Đơn vị', kind: 'text' },
      { key: 'received', label: 'Hồ sơ tiếp nhận', kind: 'count' },
      { key: 'rate', label: 'Tỷ lệ số hoá', kind: 'rate' },
      { key: 'points', label: 'Điểm 766', kind: 'points' },
    ],
    rows: [
      { unit: 'Xã Thạch Lạc', received: 96_688, rate: 0.7416, points: 10 },
      { unit: 'Phường "Bắc", Hà Tĩnh', received: 1_234_567, rate: 0.57525, points: 7.1906 },
      { unit: '=HYPERLINK("http://x")', received: 0, rate: null, points: null },
    ],
    ...overrides,
  }
}
