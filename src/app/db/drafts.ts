/** Unconfirmed form input, kept so that a closed tab or a dead battery loses nothing typed. */
import { entryKey } from '../../domain/entries.ts'
import { DATA_ELEMENTS, type DataElement } from '../../domain/indicators.ts'
import type { Month } from '../../domain/periods.ts'
import type { DraftRecord, SohoaDb } from './schema.ts'

/** What the form hands over; the key and timestamp are derived. */
export type DraftInput = Pick<DraftRecord, 'unitCode' | 'month' | 'input' | 'note'>

/**
 * Stores the form's current text for one unit and month, replacing any earlier draft.
 * `saveEntry` deletes it, so cancel a pending (debounced) draft save before confirming.
 */
export async function saveDraft(
  db: SohoaDb,
  draft: DraftInput,
  now: Date = new Date(),
): Promise<void> {
  const record: DraftRecord = {
    key: entryKey(draft.unitCode, draft.month),
    unitCode: draft.unitCode,
    month: draft.month,
    input: plainInput(draft.input),
    note: draft.note,
    updatedAt: now.toISOString(),
  }
  await db.drafts.put(record)
}

/** The draft of one unit and month, if any. */
export async function getDraft(
  db: SohoaDb,
  unitCode: string,
  month: Month,
): Promise<DraftRecord | undefined> {
  return db.drafts.get(entryKey(unitCode, month))
}

/** Discards the draft of one unit and month. */
export async function deleteDraft(db: SohoaDb, unitCode: string, month: Month): Promise<void> {
  await db.drafts.delete(entryKey(unitCode, month))
}

/** A plain copy: the form's input is usually a Vue proxy, which IndexedDB cannot clone. */
function plainInput(input: DraftInput['input']): Partial<Record<DataElement, string>> {
  const plain: Partial<Record<DataElement, string>> = {}
  for (const field of DATA_ELEMENTS) {
    const value = input[field]
    if (value !== undefined) plain[field] = value
  }
  return plain
}
