import type { FieldSource } from '../../protocol/index.js';
import { sourceDescription, sourceSummary } from '../lib/provenance.js';

/**
 * Where one value came from: "push · CRM sync · 3 min ago" (or just "push" when `compact`), with
 * the full words and time in the tooltip and for screen readers.
 */
export function SourceTag(props: {
  source: FieldSource | undefined;
  now: number;
  compact?: boolean;
}) {
  const { source } = props;
  if (!source) return null;
  const full = sourceDescription(source);
  return (
    <span class={`source-tag source-${source.source}`} title={full} data-testid="source-tag">
      <span aria-hidden="true">
        {props.compact ? source.source : sourceSummary(source, props.now)}
      </span>
      <span class="sr-only">{`(${full})`}</span>
    </span>
  );
}
