import type { AnswerShapeRow, TestConnectionResult } from '../../../../protocol/index.js';
import { OutcomeChip } from '../../../components/OutcomeChip.js';
import { ProfilePreview } from '../../../components/ProfileFields.js';
import { milliseconds } from '../../../lib/format.js';

const SHAPE_NAMES: Record<NonNullable<TestConnectionResult['shape']>, string> = {
  standard: 'Read as the standard shape.',
  data_sync: 'Read as the data-sync shape (displayName, photoURL, customData).',
  custom: 'Read with your custom paths.',
};

function ListBlock(props: { title: string; tone: 'bad' | 'warn' | 'info'; items: string[] }) {
  if (props.items.length === 0) return null;
  return (
    <div class={`test-list test-list-${props.tone}`}>
      <p class="test-list-title">{props.title}</p>
      <ul>
        {props.items.map((item) => (
          <li key={item}>
            <code class="break">{item}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The answer's keys and types, indented by depth; values never reach the console. */
function AnswerShape(props: { rows: AnswerShapeRow[]; truncated: boolean }) {
  if (props.rows.length === 0) return null;
  return (
    <div class="test-shape" data-testid="answer-shape">
      <p class="test-list-title">Your answer (values hidden)</p>
      <ul class="shape-list">
        {props.rows.map((row) => (
          <li
            key={row.path}
            class={row.dropped ? 'shape-row is-dropped' : 'shape-row'}
            style={{ paddingInlineStart: `${row.depth * 12}px` }}
          >
            <code class="break">{row.path}</code> <span class="muted">{row.summary}</span>
            {row.dropped ? <span class="shape-dropped">{` dropped: ${row.dropped}`}</span> : null}
          </li>
        ))}
      </ul>
      {props.truncated ? <p class="muted">Only the first part of the answer is shown.</p> : null}
    </div>
  );
}

/** One test call's result: outcome, record matching, the answer's shape and the mapped profile. */
export function TestResult({ id, answer }: { id: string; answer: TestConnectionResult }) {
  const facts = [
    answer.httpStatus !== null ? `HTTP ${answer.httpStatus}` : 'No HTTP answer',
    answer.latencyMs !== null ? milliseconds(answer.latencyMs) : null,
  ].filter(Boolean);
  const match = answer.match;
  return (
    <div class="test-result" data-testid="test-result">
      <div class="test-head">
        <OutcomeChip outcome={answer.outcome} />
        <span class="test-facts">{facts.join(' · ')}</span>
      </div>
      {answer.outcome === 'ok' ? null : <p class="test-message">{answer.message}</p>}
      {answer.url ? <p class="test-url break">{answer.url}</p> : null}
      {answer.shape ? <p class="muted">{SHAPE_NAMES[answer.shape]}</p> : null}
      {match ? (
        <p class={`test-match match-${match.verdict}`} data-testid="record-match">
          {match.verdict === 'matched'
            ? `Same user: ${match.message}.`
            : match.verdict === 'mismatch'
              ? `Another user: ${match.message}; nothing would be stored.`
              : match.message}
        </p>
      ) : null}
      <ListBlock title="Invalid fields" tone="bad" items={answer.invalidFields} />
      <ListBlock
        title="Dropped as sensitive data (never stored)"
        tone="warn"
        items={answer.droppedPii.map((d) => `${d.path} — ${d.reason}`)}
      />
      <ListBlock title="Unknown fields (ignored)" tone="info" items={answer.unknownFields} />
      <ListBlock title="Warnings" tone="warn" items={answer.warnings} />
      <div class="test-compare">
        <AnswerShape rows={answer.answerShape} truncated={answer.answerShapeTruncated} />
        {answer.profile ? (
          <div class="test-profile" data-testid="mapped-profile">
            <p class="test-list-title">Profile as it would be stored</p>
            <ProfilePreview profile={answer.profile} seed={id} />
          </div>
        ) : null}
      </div>
    </div>
  );
}
