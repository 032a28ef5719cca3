/**
 * Renders the app icons from one SVG drawing with the installed Chromium. Run once after changing the
 * drawing (`npx tsx scripts/make-icons.ts`); the PNGs are committed so builds need no browser.
 */
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const RED = '#b3261e'
const publicDir = fileURLToPath(new URL('../public/', import.meta.url))

/** A white dossier with a folded corner, two text lines and a red check, on a 512 box. */
const mark = `
  <path d="M152 88h148l68 68v252a16 16 0 0 1-16 16H152a16 16 0 0 1-16-16V104a16 16 0 0 1 16-16z" fill="#fff"/>
  <path d="M300 88v52a16 16 0 0 0 16 16h52z" fill="#f1c6c1"/>
  <path d="M184 160h84M184 208h136" stroke="#e3a29b" stroke-width="24" stroke-linecap="round"/>
  <path d="M194 306l46 46 88-96" fill="none" stroke="${RED}" stroke-width="36"
    stroke-linecap="round" stroke-linejoin="round"/>`

/** `scale` shrinks the mark around the centre; maskable icons keep it inside the 80% safe circle. */
function svg(options: { rounded: boolean; scale: number }): string {
  const radius = options.rounded ? 112 : 0
  const offset = 256 * (1 - options.scale)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${radius}" fill="${RED}"/>
  <g transform="translate(${offset} ${offset}) scale(${options.scale})">${mark}</g>
</svg>
`
}

const targets = [
  { file: 'favicon.svg', size: 0, rounded: true, scale: 1 },
  { file: 'icons/icon-192.png', size: 192, rounded: true, scale: 1 },
  { file: 'icons/icon-512.png', size: 512, rounded: true, scale: 1 },
  { file: 'icons/maskable-512.png', size: 512, rounded: false, scale: 0.9 },
  { file: 'icons/apple-touch-icon.png', size: 180, rounded: false, scale: 0.86 },
]

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
try {
  const page = await browser.newPage()
  for (const target of targets) {
    const source = svg(target)
    if (target.size === 0) {
      await writeFile(publicDir + target.file, source)
      continue
    }
    await page.setViewportSize({ width: target.size, height: target.size })
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:100vw;height:100vh}</style>${source}`,
    )
    const png = await page.screenshot({ omitBackground: true, type: 'png' })
    await writeFile(publicDir + target.file, png)
  }
} finally {
  await browser.close()
}
