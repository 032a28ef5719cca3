/**
 * The runs the sync simulation (simulation.property.test.ts) first failed on, reduced to their
 * essence and replayed without faults against the live server, so each bug stays fixed whatever
 * seeds later runs draw.
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OfflineError } from '../../../src/app/sync/errors.ts'
import { Phone, startServer, type LiveServer } from './liveServer.ts'

describe('sync simulation regressions', () => {
  const UNIT = '99019'
  const MONTH = '2025-09'
  let server: LiveServer
  const phones: Phone[] = []
  const phone = (): Phone => {
    const made = new Phone(server.baseUrl)
    phones.push(made)
    return made
  }

  beforeEach(async () => {
    server = await startServer()
  })
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.close()))
    await server.close()
  })

  it('lets an official correct their own value offline without a conflict with themselves', async () => {
    await server.createUser('lan', [UNIT])
    const a = phone()
    await a.signIn('lan')
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 10, digitized: 5 } })
    await a.sync()
    // Offline: a typo, then its correction; both ops are based on version 1 and go in one push.
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 20, digitized: 5 } })
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 25, digitized: 5 } })
    await a.sync()

    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({
      counts: { received: 25, digitized: 5 },
      conflicts: [],
    })
  })

  it('never bases the next edit on a version whose values the phone did not have', async () => {
    await server.createUser('lan', [UNIT])
    await server.createUser('minh', [UNIT])
    const lanPhone = phone()
    const office = phone()
    await lanPhone.signIn('lan')
    await office.signIn('minh')
    await lanPhone.save({ unitCode: UNIT, month: MONTH, counts: { received: 10, digitized: 5 } })
    await lanPhone.sync()
    await office.sync()
    await office.save({ unitCode: UNIT, month: MONTH, counts: { received: 30, digitized: 5 } })
    await office.sync()
    // Lan confirms the form as it stands, still at version 1; the merge keeps Minh's 30. The pull
    // after that push is lost, and Lan edits another field.
    await lanPhone.save({ unitCode: UNIT, month: MONTH, counts: { received: 10, digitized: 5 } })
    lanPhone.dropAnswerOf = '/api/sync/pull'
    await expect(lanPhone.sync()).rejects.toBeInstanceOf(OfflineError)
    await lanPhone.save({ unitCode: UNIT, month: MONTH, counts: { received: 10, digitized: 6 } })
    await lanPhone.sync()

    // Before the fix the confirmation was answered "version 2", the phone took version 2 (Minh's)
    // as the base of its 10, and the next edit fast-forwarded over Minh's 30 without a trace.
    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({
      counts: { received: 30, digitized: 6 },
    })
  })

  it("shows the server's values once an older op of another user on the phone is refused", async () => {
    await server.createUser('hoa', ['99022'])
    await server.createUser('minh', [UNIT])
    const hoaPhone = phone()
    const shared = phone()
    await hoaPhone.signIn('hoa')
    await hoaPhone.save({
      unitCode: '99022',
      month: MONTH,
      counts: { received: 4, digitized: 0 },
      note: 'thiếu hồ sơ',
    })
    await hoaPhone.sync()
    // On the shared PC Minh types into Hoa's commune (refused later), then Hoa takes over and
    // saves her own counts, without the note the server already has.
    await shared.signIn('minh')
    await shared.save({ unitCode: '99022', month: MONTH, counts: { received: 3, digitized: 3 } })
    await shared.signIn('hoa')
    await shared.save({ unitCode: '99022', month: MONTH, counts: { received: 2, digitized: 1 } })
    await shared.sync()
    await shared.signIn('minh')
    await shared.sync()
    await shared.signIn('hoa')
    await shared.sync()

    const onServer = await server.entryOnServer('99022', MONTH)
    expect(onServer).toMatchObject({ counts: { received: 2, digitized: 1 }, note: 'thiếu hồ sơ' })
    // Before the fix Minh's queued op kept the entry `local` and made every pull skip it, and
    // after its refusal nothing ever brought the merged note.
    expect(await shared.entry('99022', MONTH)).toMatchObject({
      state: 'sent',
      note: 'thiếu hồ sơ',
      baseVersion: onServer?.version,
    })
  })
})
