import { afterEach, describe, expect, it, vi } from 'vitest'
import { downloadBlob, exportFileName } from '../../../src/app/export/download.ts'

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('exportFileName', () => {
  it('names a file after the unit and the period', () => {
    expect(exportFileName(['99', 'ytd-2026-10'], 'csv')).toBe('sohoa-99-ytd-2026-10.csv')
    expect(exportFileName(['99-STP', '2026-Q3'], 'xlsx')).toBe('sohoa-99-STP-2026-Q3.xlsx')
  })

  it('leaves out missing parts and anything a file system could choke on', () => {
    expect(exportFileName([null, '2026'], 'png')).toBe('sohoa-2026.png')
    expect(exportFileName(['a/b:c', ' '], 'csv')).toBe('sohoa-a_b_c.csv')
  })
})

describe('downloadBlob', () => {
  it('clicks a hidden download link to a blob URL, removes it and frees the URL later', () => {
    vi.useFakeTimers()
    const clicked: Array<{ href: string; download: string; attached: boolean }> = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ href: this.href, download: this.download, attached: this.isConnected })
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL')
    downloadBlob(new Blob(['x'], { type: 'text/csv' }), 'sohoa-99-2026.csv')
    expect(clicked).toHaveLength(1)
    expect(clicked[0]).toMatchObject({ download: 'sohoa-99-2026.csv', attached: true })
    expect(clicked[0]!.href).toMatch(/^blob:/u)
    expect(document.querySelector('a[download]')).toBeNull()
    expect(revoke).not.toHaveBeenCalled()
    vi.advanceTimersByTime(60_000)
    expect(revoke).toHaveBeenCalledWith(clicked[0]!.href)
  })
})
