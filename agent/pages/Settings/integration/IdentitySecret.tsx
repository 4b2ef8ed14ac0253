import { useRef, useState } from 'preact/hooks';
import type { IntegrationSettings } from '../../../../protocol/index.js';
import { failed } from '../../../api/request.js';
import { CopyButton } from '../../../components/CopyButton.js';
import { GraceField } from '../../../components/GraceField.js';
import { Icon } from '../../../components/Icon.js';
import { Notice } from '../../../components/Notice.js';
import { dateTime } from '../../../lib/format.js';
import { useNow } from '../../../lib/use-now.js';
import { rotateSecret } from '../../../stores/integration.js';

/** What the server allows (RotateSecretRequest): two weeks. */
const IDENTITY_GRACE_HOURS_MAX = 336;

function tokenSnippet(projectId: string): string {
  return `// On your server (npm install jose), for the signed-in user:
import { SignJWT } from 'jose';

const secret = new TextEncoder().encode(process.env.PALAVER_IDENTITY_SECRET);
const userToken = await new SignJWT({})
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(user.id) // the externalUserId you pass to the widget
  .setAudience('${projectId}')
  .setIssuedAt()
  .setExpirationTime('1h') // at most 24 h
  .sign(secret);

// In the page for that user:
// Palaver('init', { projectId: '${projectId}', externalUserId: user.id, userToken });`;
}

function hashSnippet(): string {
  return `// Or the "user hash" scheme (never expires, so prefer userToken):
import { createHmac } from 'node:crypto';

const userHash = createHmac('sha256', process.env.PALAVER_IDENTITY_SECRET)
  .update(user.id)
  .digest('hex');`;
}

/**
 * The project's identity secrets: when each was made and until when an old one still verifies;
 * Generate/Rotate; and the new secret, shown exactly once.
 */
export function IdentitySecretCard(props: { projectId: string; settings: IntegrationSettings }) {
  const now = useNow();
  const secrets = props.settings.identitySecrets;
  const live = secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now);
  const [confirming, setConfirming] = useState(false);
  const [grace, setGrace] = useState(24);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Held in this component only, and forgotten when the admin dismisses it or leaves the page.
  const [secret, setSecret] = useState<string | null>(null);
  const secretNode = useRef<HTMLElement>(null);

  async function rotate(hours: number): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      setSecret(await rotateSecret(props.projectId, hours));
      setConfirming(false);
    } catch (e) {
      setError(failed(e, 'create a secret'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card form" aria-labelledby="secret-title">
      <h2 class="card-title" id="secret-title">
        Identity secret
      </h2>
      <p class="card-lead">
        Your server signs each signed-in user’s id with this secret, so Palaver can tell a real user
        from someone typing an id into the browser console.
      </p>
      <Notice text={error} />
      {secret ? (
        <div class="secret-reveal" role="alert" data-testid="secret-reveal">
          <p class="secret-warning">
            <Icon name="alert" size={16} />
            Copy this secret now — you will not see it again.
          </p>
          <p class="secret-note">
            Store it on your server only (for example as PALAVER_IDENTITY_SECRET), never in browser
            code. If it is lost, rotate it.
          </p>
          <div class="secret-value">
            <code ref={secretNode} data-testid="identity-secret">
              {secret}
            </code>
            <CopyButton text={secret} label="Copy secret" target={() => secretNode.current} />
          </div>
          <button type="button" class="button button-small" onClick={() => setSecret(null)}>
            I have stored it
          </button>
        </div>
      ) : null}
      {secrets.length > 0 ? (
        <ul class="secret-list">
          {secrets.map((s) => {
            const expired = s.expiresAt !== null && Date.parse(s.expiresAt) <= now;
            return (
              <li key={s.id} class={expired ? 'secret-row is-expired' : 'secret-row'}>
                <Icon name="key" size={15} />
                <span class="strong">
                  {s.expiresAt === null ? 'Current' : expired ? 'Expired' : 'Previous'}
                </span>
                <span class="muted">{`created ${dateTime(s.createdAt)}`}</span>
                {s.expiresAt ? (
                  <span class={expired ? 'muted' : 'warning-text'}>
                    {expired
                      ? `stopped verifying ${dateTime(s.expiresAt)}`
                      : `still verifies until ${dateTime(s.expiresAt)}`}
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p class="muted secret-none">
          No secret yet: generate one, then sign user ids on your server as shown below.
        </p>
      )}
      {live.length === 0 ? (
        <button
          type="button"
          class="button button-primary"
          disabled={busy}
          onClick={() => void rotate(0)}
        >
          <Icon name="key" size={14} />
          {busy ? 'Generating…' : 'Generate secret'}
        </button>
      ) : confirming ? (
        <div class="confirm confirm-neutral">
          <p class="strong">Rotate the identity secret?</p>
          <p>
            Palaver makes a new secret. Deploy it on your server; until then the current secret can
            keep verifying users so nobody is signed out of chat.
          </p>
          <GraceField
            id="grace"
            label="Old secret keeps verifying"
            maxHours={IDENTITY_GRACE_HOURS_MAX}
            hours={grace}
            onChange={setGrace}
          />
          <div class="confirm-actions">
            <button type="button" class="button button-ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              class="button button-primary"
              disabled={busy}
              onClick={() => void rotate(grace)}
            >
              {busy ? 'Rotating…' : 'Rotate secret'}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="button" onClick={() => setConfirming(true)}>
          <Icon name="rotate" size={14} />
          Rotate secret…
        </button>
      )}
      <h3 class="card-subtitle">Sign user ids on your server</h3>
      <Snippet code={tokenSnippet(props.projectId)} label="userToken example (Node)" />
      <Snippet code={hashSnippet()} label="userHash example (Node)" />
    </section>
  );
}

function Snippet({ code, label }: { code: string; label: string }) {
  const pre = useRef<HTMLPreElement>(null);
  return (
    <div class="snippet snippet-compact">
      <pre ref={pre} tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label="Copy" target={() => pre.current} class="snippet-copy" />
    </div>
  );
}
