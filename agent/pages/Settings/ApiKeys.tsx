import { useStore } from '@nanostores/preact';
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Project } from '../../../protocol/index.js';
import { Notice } from '../../components/Notice.js';
import { PageHead } from '../../components/PageHead.js';
import { useNow } from '../../lib/use-now.js';
import { $apiKeys, loadApiKeys } from '../../stores/api-keys.js';
import { ApiKeyCreateForm, ApiKeyRow, NewKeySecret, RevokeConfirm } from './api-keys/index.js';
import { ProjectFrame } from './ProjectFrame.js';
import { AddButton, ListTable } from './SettingsList.js';

const COLUMNS = ['Key', 'Roles', 'Created by', 'Created', 'Last used', 'Expires', 'Status'];

export function ApiKeysPage({ id }: { id: string }) {
  return (
    <ProjectFrame id={id} tab="api-keys">
      {(project) => <ApiKeysView key={project.id} project={project} />}
    </ProjectFrame>
  );
}

/** The project's keys for the public API: create one (its secret shown once), list, revoke. */
function ApiKeysView({ project }: { project: Project }) {
  const entry = useStore($apiKeys)[project.id];
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ label: string; secret: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void loadApiKeys(project.id);
  }, [project.id]);

  const keys = entry?.items ?? [];
  return (
    <>
      <PageHead
        actions={
          creating ? null : (
            <AddButton
              label="New API key"
              onClick={() => {
                setNotice(null);
                setCreated(null);
                setCreating(true);
              }}
            />
          )
        }
      >
        Your servers call Palaver’s API (<code>/api/v1</code>) with these keys, sent as{' '}
        <code>Authorization: Bearer …</code>. Each key works only for {project.name}, and only for
        its roles.
      </PageHead>
      <Notice ok text={notice} />
      {created ? (
        <NewKeySecret
          label={created.label}
          secret={created.secret}
          onDismiss={() => setCreated(null)}
        />
      ) : null}
      {creating ? (
        <ApiKeyCreateForm
          projectId={project.id}
          onCancel={() => setCreating(false)}
          onCreated={(secret, label) => {
            setCreating(false);
            setCreated({ label, secret });
          }}
        />
      ) : null}
      <Notice text={entry?.error} />
      <ListTable columns={COLUMNS} loading={!entry?.loaded && !entry?.error}>
        {keys.map((key) => (
          <Fragment key={key.id}>
            <ApiKeyRow
              apiKey={key}
              now={now}
              confirming={confirming === key.id}
              onRevoke={() => {
                setNotice(null);
                setConfirming(key.id);
              }}
            />
            {confirming === key.id ? (
              <tr class="row-editing">
                <td colSpan={8}>
                  <RevokeConfirm
                    apiKey={key}
                    onCancel={() => setConfirming(null)}
                    onRevoked={() => {
                      setConfirming(null);
                      setNotice(`${key.label} was revoked: requests with it are refused.`);
                    }}
                  />
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </ListTable>
      {entry?.loaded && keys.length === 0 ? (
        <div class="empty">
          <p class="empty-title">No API keys yet</p>
          <p class="empty-text">
            Create one for each system that pushes contacts or reads them, so that each can be
            revoked on its own.
          </p>
        </div>
      ) : null}
    </>
  );
}
