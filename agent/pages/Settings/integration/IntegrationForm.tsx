import { useEffect, useState } from 'preact/hooks';
import type { IntegrationMapping, IntegrationSettings } from '../../../../protocol/index.js';
import { Notice } from '../../../components/Notice.js';
import { SaveBar } from '../../../components/SaveBar.js';
import { saveIntegration } from '../../../stores/integration.js';
import { useSettingsForm } from '../form.js';
import {
  INTEGRATION_FIELDS,
  draftOf,
  draftProblems,
  isDirty,
  requestOf,
  type IntegrationDraft,
} from './draft.js';
import { EndpointSection } from './EndpointSection.js';
import { HeadersSection, rowsOf, type HeaderRow } from './HeaderRows.js';
import { mappingOf } from './mapping-draft.js';
import { MappingSection } from './MappingSection.js';
import { PolicySection } from './PolicySection.js';

/**
 * The project's user endpoint, its headers, the answer mapping and the policy. `onDirty` tells
 * whether it is saved; `onMapping` hands each edit of the mapping to Test connection's preview.
 */
export function IntegrationForm(props: {
  settings: IntegrationSettings;
  onDirty: (dirty: boolean) => void;
  onMapping: (mapping: IntegrationMapping) => void;
}) {
  const { settings } = props;
  const [draft, setDraft] = useState<IntegrationDraft>(() => draftOf(settings));
  const [rows, setRows] = useState<HeaderRow[]>(() => rowsOf(settings));
  const form = useSettingsForm(INTEGRATION_FIELDS);
  const dirty = isDirty(draft, rows, settings);

  useEffect(() => props.onDirty(dirty), [dirty]);

  const change = (patch: Partial<IntegrationDraft>) => setDraft((d) => ({ ...d, ...patch }));
  // Exact paths only: a header row's problem belongs to that row, not to the list.
  const problem = (path: string) => form.problems.find((p) => p.path === path)?.message;

  return (
    <form
      class="integration-form"
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(
          draftProblems(draft, rows),
          async () =>
            setRows(rowsOf(await saveIntegration(settings.projectId, requestOf(draft, rows)))),
          e.currentTarget,
        );
      }}
      onInput={form.edited}
      noValidate
      aria-label="API Integration settings"
    >
      <Notice text={form.summary} />
      <EndpointSection draft={draft} problem={problem} onChange={change} />
      <HeadersSection rows={rows} problem={problem} onRows={setRows} />
      <MappingSection
        mapping={draft.mapping}
        problem={problem}
        onChange={(next) => {
          change({ mapping: next });
          props.onMapping(mappingOf(next));
        }}
      />
      <PolicySection draft={draft} problem={problem} onChange={change} />
      <SaveBar saved={form.saved} dirty={dirty} saving={form.saving} />
    </form>
  );
}
