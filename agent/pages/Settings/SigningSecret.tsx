import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Project } from '../../../protocol/index.js';
import { failed } from '../../api/request.js';
import { Icon } from '../../components/Icon.js';
import { Notice } from '../../components/Notice.js';
import { PageHead } from '../../components/PageHead.js';
import { SecretReveal } from '../../components/SecretReveal.js';
import { useNow } from '../../lib/use-now.js';
import {
  $signingSecrets,
  loadSigningSecrets,
  rotateSigningSecret,
} from '../../stores/signing-secrets.js';
import { ProjectFrame } from './ProjectFrame.js';
import { RotateDialog, SecretRow } from './signing/index.js';

export function SigningSecretPage({ id }: { id: string }) {
  return (
    <ProjectFrame id={id} tab="signing-secret">
      {(project) => <SigningSecretView key={project.id} project={project} />}
    </ProjectFrame>
  );
}

/**
 * The secrets Palaver signs its requests to the site with: which are active, a rotation with a
 * grace period, and the new secret shown once.
 */
function SigningSecretView({ project }: { project: Project }) {
  const entry = useStore($signingSecrets)[project.id];
  const now = useNow();
  const [asking, setAsking] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Held in this component only, and forgotten when the admin dismisses it or leaves the page.
  const [secret, setSecret] = useState<string | null>(null);

  useEffect(() => {
    void loadSigningSecrets(project.id);
  }, [project.id]);

  const secrets = entry?.items ?? [];
  const current = secrets.find((s) => s.expiresAt === null);

  async function create(): Promise<void> {
    setCreating(true);
    setError(null);
    try {
      setSecret(await rotateSigningSecret(project.id, 0));
    } catch (e) {
      setError(failed(e, 'create a secret'));
    } finally {
      setCreating(false);
    }
  }

  return (
    <>
      <PageHead
        actions={
          !entry?.loaded ? null : current ? (
            <button
              type="button"
              class="button"
              onClick={() => {
                setSecret(null);
                setAsking(true);
              }}
            >
              <Icon name="rotate" size={14} />
              Rotate secret…
            </button>
          ) : (
            <button
              type="button"
              class="button button-primary"
              disabled={creating}
              onClick={() => void create()}
            >
              <Icon name="key" size={14} />
              {creating ? 'Creating…' : 'Create secret'}
            </button>
          )
        }
      >
        Palaver signs every request it sends to your servers (card and action requests, webhooks)
        with this secret, in the <code>Palaver-Signature</code> header. Verify it to know that a
        request comes from Palaver for {project.name} and was not changed on the way.
      </PageHead>
      {secret ? (
        <SecretReveal
          label="New signing secret"
          noun="secret"
          secret={secret}
          testId="signing-secret"
          onDismiss={() => setSecret(null)}
        >
          Keep it on your servers only (for example as PALAVER_SIGNING_SECRET), never in browser
          code, and check each request’s Palaver-Signature header with it (the README shows how, in
          Node and Python). If it is lost, rotate it.
        </SecretReveal>
      ) : null}
      <Notice text={error ?? entry?.error} />
      <section class="card form" aria-labelledby="signing-title">
        <h2 class="card-title" id="signing-title">
          Active secrets
        </h2>
        {!entry?.loaded && !entry?.error ? <p class="loading">Loading…</p> : null}
        {secrets.length > 0 ? (
          <ul class="secret-list" aria-labelledby="signing-title">
            {secrets.map((s) => (
              <SecretRow key={s.id} secret={s} now={now} />
            ))}
          </ul>
        ) : entry?.loaded ? (
          <p class="muted secret-none">
            No signing secret yet. Palaver makes one when it first signs a request; create it now to
            copy it and set up verification.
          </p>
        ) : null}
      </section>
      {asking && current ? (
        <RotateDialog
          projectId={project.id}
          current={current}
          onClose={() => setAsking(false)}
          onRotated={(value) => {
            setAsking(false);
            setSecret(value);
          }}
        />
      ) : null}
    </>
  );
}
