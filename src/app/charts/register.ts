/**
 * chart.js, tree-shaken to what the dashboard draws: bars and lines on category and linear scales,
 * with tooltips and a legend. Imported only through BaseChart's dynamic import, so chart.js never
 * lands in the first screen's bundle.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js'

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
)
// The app's system font stack: no web font to fetch on a slow link.
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
Chart.defaults.color = '#5b5860'

export { Chart }
