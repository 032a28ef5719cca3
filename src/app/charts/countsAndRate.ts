/**
 * The dashboard's one chart shape: two counts as bars on the left axis (e.g. dossiers received and
 * digitized), the rate of one over the other and its target as lines on the right axis, in percent.
 * Builds a plain chart.js configuration; only types come from chart.js here.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js'
import { formatCount, formatRate, type Locale } from '../../domain/format.ts'

export type CountsAndRateType = 'bar' | 'line'
export type CountsAndRateConfig = ChartConfiguration<CountsAndRateType, (number | null)[], string>

export interface Series {
  label: string
  values: (number | null)[]
}

export interface CountsAndRateInput {
  labels: string[]
  denominator: Series
  numerator: Series
  /** Fractions 0..1. */
  rate: Series
  /** Fractions 0..1. */
  target: Series
  locale: Locale
  /** Most labels on the month axis; fewer keep a 360 px screen legible. */
  maxMonthTicks?: number
}

/** Colours with enough contrast on white, told apart by shape as well (bars, solid, dashed). */
export const CHART_COLORS = {
  denominator: '#a9c1e8',
  numerator: '#1f4e9c',
  rate: '#b3261e',
  target: '#1e6b33',
} as const

const RATE_AXIS = 'rate'
const COUNT_AXIS = 'count'

export function countsAndRateChart(input: CountsAndRateInput): CountsAndRateConfig {
  const { locale } = input
  const percent = (value: number): string => `${formatCount(value * 100, locale)}%`
  const tooltipLabel = (item: TooltipItem<CountsAndRateType>): string => {
    const value = item.parsed.y
    const text =
      value === null
        ? '–'
        : item.dataset.yAxisID === RATE_AXIS
          ? formatRate(value, locale)
          : formatCount(value, locale)
    return `${item.dataset.label ?? ''}: ${text}`
  }
  return {
    type: 'bar',
    data: {
      labels: input.labels,
      datasets: [
        {
          type: 'line',
          label: input.rate.label,
          data: input.rate.values,
          yAxisID: RATE_AXIS,
          borderColor: CHART_COLORS.rate,
          backgroundColor: CHART_COLORS.rate,
          borderWidth: 2,
          pointRadius: 2,
          spanGaps: false,
          order: 0,
        },
        {
          type: 'line',
          label: input.target.label,
          data: input.target.values,
          yAxisID: RATE_AXIS,
          borderColor: CHART_COLORS.target,
          backgroundColor: CHART_COLORS.target,
          borderWidth: 2,
          borderDash: [6, 4],
          pointRadius: 0,
          order: 1,
        },
        {
          type: 'bar',
          label: input.denominator.label,
          data: input.denominator.values,
          yAxisID: COUNT_AXIS,
          backgroundColor: CHART_COLORS.denominator,
          order: 2,
        },
        {
          type: 'bar',
          label: input.numerator.label,
          data: input.numerator.values,
          yAxisID: COUNT_AXIS,
          backgroundColor: CHART_COLORS.numerator,
          order: 3,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // Cheap phones: draw once, no animation frames.
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12, padding: 8 } },
        tooltip: { callbacks: { label: tooltipLabel } },
      },
      scales: {
        x: {
          grid: { display: false },
          ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: input.maxMonthTicks ?? 12 },
        },
        [COUNT_AXIS]: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          ticks: { maxTicksLimit: 5, callback: (value) => formatCount(Number(value), locale) },
        },
        [RATE_AXIS]: {
          type: 'linear',
          position: 'right',
          min: 0,
          max: 1,
          grid: { display: false },
          ticks: { stepSize: 0.25, callback: (value) => percent(Number(value)) },
        },
      },
    },
  }
}
