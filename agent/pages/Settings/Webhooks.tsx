import { useStore } from '@nanostores/preact';
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Project, WebhookSubscription } from '../../../protocol/index.js';
import { ApiError } from '../../api/request.js';
import { sendTest } from '../../api/webhooks.js';
import { Icon } from '../../components/Icon.js';
import { Notice } from '../../components/Notice.js';
import { PageHead } from '../../components/PageHead.js';
import { $webhooks, deleteWebhook, loadWebhooks, updateWebhook } from '../../stores/webhooks.js';
import { ProjectFrame } from './ProjectFrame.js';
import { AddButton, ListTable } from './SettingsList.js';
import { DeliveryLog, WebhookForm } from './webhooks/index.js';

const COLUMNS = ['URL', 'Events', 'Status'];

export function WebhooksPage({ id }: { id: string }) {
  return (
    <ProjectFrame id={id} tab="webhooks">
      {(project) => <WebhooksView key={project.id} project={project} />}
    </ProjectFrame>
  );
}

/** The project's webhooks: add, switch on and off, delete, and each one's delivery log. */
function WebhooksView({ project }: { project: Project }) {
  const entry = useStore($webhooks)[project.id];
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => void loadWebhooks(project.id), [project.id]);

  async function act(work: () => Promise<unknown>): Promise<void> {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The change could not be saved');
    }
  }

  const hooks = entry?.items ?? [];
  const disabled = hooks.filter((w) => w.disabledReason === 'failing');
  return (
    <>
      <PageHead
        actions={adding ? null : <AddButton label="New webhook" onClick={() => setAdding(true)} />}
      >
        Palaver POSTs each event to your URLs, signed with the project’s signing secret (
        <code>Palaver-Signature</code>), and retries failures for a day.
      </PageHead>
      {disabled.map((w) => (
        <p key={w.id} class="notice notice-error" role="alert">
          <Icon name="alert" size={14} />
          {w.url} was turned off: no delivery succeeded for a day. Fix the receiver, then turn it
          on.
        </p>
      ))}
      <Notice text={error ?? entry?.error} />
      {adding ? <WebhookForm projectId={project.id} onDone={() => setAdding(false)} /> : null}
      <ListTable columns={COLUMNS} loading={!entry?.loaded && !entry?.error}>
        {hooks.map((w: WebhookSubscription) => (
          <Fragment key={w.id}>
            <tr>
              <td>
                <code>{w.url}</code>
              </td>
              <td>{w.events.join(', ')}</td>
              <td>{w.enabled ? 'On' : 'Off'}</td>
              <td class="cell-actions">
                <button
                  type="button"
                  class="button button-small"
                  onClick={() =>
                    void act(() => updateWebhook(project.id, w.id, { enabled: !w.enabled }))
                  }
                >
                  {w.enabled ? 'Turn off' : 'Turn on'}
                </button>
                <button
                  type="button"
                  class="button button-small"
                  onClick={() => void act(() => sendTest(project.id, w.id))}
                >
                  Send test
                </button>
                <button
                  type="button"
                  class="button button-small"
                  aria-expanded={open === w.id}
                  onClick={() => setOpen(open === w.id ? null : w.id)}
                >
                  Deliveries
                </button>
                <button
                  type="button"
                  class="button button-small button-danger"
                  onClick={() => void act(() => deleteWebhook(project.id, w.id))}
                >
                  Delete
                </button>
              </td>
            </tr>
            {open === w.id ? (
              <tr class="row-editing">
                <td colSpan={4}>
                  <DeliveryLog projectId={project.id} webhookId={w.id} />
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </ListTable>
      {entry?.loaded && hooks.length === 0 ? (
        <div class="empty">
          <p class="empty-title">No webhooks yet</p>
          <p class="empty-text">
            Add a URL of your server to hear of conversations, messages and contacts.
          </p>
        </div>
      ) : null}
    </>
  );
}
