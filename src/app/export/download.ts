/**
 * Getting a file out of the app with no network: a blob URL on an <a download>, or the phone's
 * share sheet for a chart image. `document` and `navigator` can be handed in for tests.
 */

/** `sohoa-<unit>-<period>.<ext>`, with nothing a file system could choke on. */
export function exportFileName(parts: readonly (string | null | undefined)[], ext: string): string {
  const safe = ['sohoa', ...parts]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim().replace(/[^\w.-]+/gu, '_'))
  return `${safe.join('-')}.${ext}`
}

export interface DownloadOptions {
  document?: Document
}

/** Saves `blob` as `fileName` through a temporary link; the object URL is released afterwards. */
export function downloadBlob(blob: Blob, fileName: string, options: DownloadOptions = {}): void {
  const doc = options.document ?? document
  const url = URL.createObjectURL(blob)
  const link = doc.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  doc.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in some browsers; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** The chart as a PNG on white: chart canvases are transparent and look black in some viewers. */
export async function canvasToPng(
  canvas: HTMLCanvasElement,
  options: DownloadOptions = {},
): Promise<Blob> {
  const doc = options.document ?? document
  const copy = doc.createElement('canvas')
  copy.width = canvas.width
  copy.height = canvas.height
  const context = copy.getContext('2d')
  if (!context) throw new Error('Canvas 2D is not available')
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, copy.width, copy.height)
  context.drawImage(canvas, 0, 0)
  return new Promise((resolve, reject) => {
    copy.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob failed'))), 'image/png')
  })
}

export interface ShareOptions extends DownloadOptions {
  navigator?: Navigator
}

/**
 * Shares the chart image through the system share sheet where files can be shared (Android
 * Chrome), otherwise downloads it. Returns what happened; a share the user cancels is not an error.
 */
export async function shareCanvas(
  canvas: HTMLCanvasElement,
  fileName: string,
  title: string,
  options: ShareOptions = {},
): Promise<'shared' | 'downloaded' | 'cancelled'> {
  const nav = options.navigator ?? navigator
  const blob = await canvasToPng(canvas, options)
  const file = new File([blob], fileName, { type: 'image/png' })
  if (typeof nav.share === 'function' && nav.canShare?.({ files: [file] })) {
    try {
      await nav.share({ files: [file], title })
      return 'shared'
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled'
      // Not allowed here (no user activation left, policy): fall back to a download.
    }
  }
  downloadBlob(blob, fileName, options)
  return 'downloaded'
}
