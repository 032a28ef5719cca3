import { describe, expect, it } from 'vitest'
import { runExclusive, type LockManagerLike } from '../../../src/app/sync/lock.ts'
import { FakeLocks } from './fakes.ts'

describe('runExclusive', () => {
  it('runs the task holding the lock, and skips it while another tab holds it', async () => {
    const locks = new FakeLocks()
    let runs = 0
    const task = async (): Promise<void> => {
      runs++
      // While this tab works, a second one finds the lock taken.
      expect(await runExclusive(locks, async () => void runs++)).toBe('busy')
    }

    expect(await runExclusive(locks, task)).toBe('ran')
    expect(runs).toBe(1)
  })

  it('runs unguarded where Web Locks are missing or refuse', async () => {
    const refusing: LockManagerLike = {
      request: () => Promise.reject(new DOMException('no', 'SecurityError')),
    }
    let runs = 0
    expect(await runExclusive(undefined, async () => void runs++)).toBe('ran')
    expect(await runExclusive(refusing, async () => void runs++)).toBe('ran')
    expect(runs).toBe(2)
  })

  it("passes the task's own failure on", async () => {
    await expect(
      runExclusive(new FakeLocks(), () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom')
  })
})
