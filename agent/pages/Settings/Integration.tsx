import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import type { IntegrationMapping, Project } from '../../../protocol/index.js';
import { $integrations, loadIntegration } from '../../stores/integration.js';
import {
  HealthBanner,
  IdentitySecretCard,
  IntegrationForm,
  TestConnection,
} from './integration/index.js';
import { ProjectFrame } from './ProjectFrame.js';

export function IntegrationPage({ id }: { id: string }) {
  return (
    <ProjectFrame id={id} tab="integration">
      {(project) => <IntegrationView key={project.id} project={project} />}
    </ProjectFrame>
  );
}

function IntegrationView({ project }: { project: Project }) {
  const entry = useStore($integrations)[project.id];
  const [dirty, setDirty] = useState(false);
  const [mapping, setMapping] = useState<IntegrationMapping | null>(null);

  useEffect(() => {
    void loadIntegration(project.id);
  }, [project.id]);

  const settings = entry?.settings;
  if (!settings) {
    return entry?.error ? (
      <p class="notice notice-error" role="alert">
        {entry.error}
      </p>
    ) : (
      <p class="loading">Loading…</p>
    );
  }
  return (
    <>
      <HealthBanner settings={settings} />
      <div class="settings-grid">
        <div class="settings-main">
          <IntegrationForm settings={settings} onDirty={setDirty} onMapping={setMapping} />
          <IdentitySecretCard projectId={project.id} settings={settings} />
        </div>
        <aside class="settings-side" aria-label="Test connection">
          <TestConnection projectId={project.id} unsaved={dirty} mapping={mapping} />
        </aside>
      </div>
    </>
  );
}
