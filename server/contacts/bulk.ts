import {
  ContactInput,
  ExternalUserId,
  type BulkItemResult,
  type FieldError,
  type FieldSource,
} from '../../protocol/index.js';
import { inputWrite, type ReadyWrite } from './input-write.js';

export interface BatchItem {
  index: number;
  externalId: string;
  prepared: ReadyWrite;
}

/** The items of a bulk identify, checked one by one: those to store, and those refused. */
export interface CheckedBatch {
  ready: BatchItem[];
  refused: Extract<BulkItemResult, { status: 'error' }>[];
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, root = '') {
  return error.issues.map((issue) => ({
    path: [root, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * A batch that names one contact twice would store a result that depends on the order of its
 * items: such a batch is refused whole, with the repeats named.
 */
export function repeatedIds(items: readonly Record<string, unknown>[]): FieldError[] {
  const first = new Map<string, number>();
  const repeats: FieldError[] = [];
  items.forEach(({ externalId }, index) => {
    if (typeof externalId !== 'string') return;
    const seen = first.get(externalId);
    if (seen === undefined) first.set(externalId, index);
    else {
      repeats.push({
        path: `contacts[${index}].externalId`,
        message: `repeats contacts[${seen}].externalId "${externalId}"; send each contact once per batch`,
      });
    }
  });
  return repeats;
}

export function checkBatch(
  items: readonly Record<string, unknown>[],
  origin: FieldSource,
): CheckedBatch {
  const batch: CheckedBatch = { ready: [], refused: [] };
  items.forEach((item, index) => {
    const { externalId, ...fields } = item;
    const id = ExternalUserId.safeParse(externalId);
    const input = ContactInput.safeParse(fields);
    const prepared = input.success ? inputWrite(input.data, origin) : null;
    if (id.success && prepared?.ok) {
      batch.ready.push({ index, externalId: id.data, prepared });
      return;
    }
    batch.refused.push({
      index,
      externalId: typeof externalId === 'string' ? externalId : null,
      status: 'error',
      errors: [
        ...(id.success ? [] : issuesOf(id.error, 'externalId')),
        ...(input.success ? [] : issuesOf(input.error)),
        ...(prepared && !prepared.ok ? prepared.errors : []),
      ],
    });
  });
  return batch;
}
