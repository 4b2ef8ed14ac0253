import type { FetchOutcome } from '../../protocol/index.js';
import { OUTCOMES } from '../lib/outcomes.js';

/** An attempt's outcome in words and colour. */
export function OutcomeChip({ outcome }: { outcome: FetchOutcome }) {
  const { label, tone } = OUTCOMES[outcome];
  return <span class={`outcome outcome-${tone}`}>{label}</span>;
}
