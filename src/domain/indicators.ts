/**
 * What is counted and what is computed from it. Officials type counts (data elements) per unit and
 * month; indicators are numerator/denominator pairs over those counts and are never typed.
 */

export const DATA_ELEMENTS = [
  'received',
  'digitized',
  'resolved',
  'eResults',
  'reused',
  'online',
] as const

/**
 * received: hồ sơ tiếp nhận; digitized: hồ sơ được số hoá; resolved: hồ sơ đã giải quyết;
 * eResults: kết quả giải quyết được cấp điện tử; reused: hồ sơ tái sử dụng dữ liệu số hoá;
 * online: hồ sơ tiếp nhận trực tuyến.
 */
export type DataElement = (typeof DATA_ELEMENTS)[number]

/** Counts for one unit and month. A missing element means "not reported", which is not zero. */
export type Counts = Partial<Record<DataElement, number>>

/** Elements the entry form requires; the others may be left blank. */
export const REQUIRED_ELEMENTS: readonly DataElement[] = ['received', 'digitized']

export interface Indicator {
  id: IndicatorId
  numerator: DataElement
  denominator: DataElement
}

export type IndicatorId = 'digitization' | 'online' | 'reuse' | 'eResults'

export const INDICATORS: readonly Indicator[] = [
  { id: 'digitization', numerator: 'digitized', denominator: 'received' },
  { id: 'online', numerator: 'online', denominator: 'received' },
  { id: 'reuse', numerator: 'reused', denominator: 'received' },
  { id: 'eResults', numerator: 'eResults', denominator: 'resolved' },
]

export const DIGITIZATION = INDICATORS[0]!
