import type { SigningSecret } from '../../../../protocol/index.js';
import { Icon } from '../../../components/Icon.js';
import { dateTime } from '../../../lib/format.js';

/** One active secret: which it is, since when, and until when a previous one still signs. */
export function SecretRow({ secret, now }: { secret: SigningSecret; now: number }) {
  const ended = secret.expiresAt !== null && Date.parse(secret.expiresAt) <= now;
  return (
    <li class={ended ? 'secret-row is-expired' : 'secret-row'}>
      <Icon name="key" size={15} />
      <code>{secret.prefix}…</code>
      <span class="strong">
        {secret.expiresAt === null ? 'Current' : ended ? 'Stopped' : 'Previous'}
      </span>
      <span class="muted">{`created ${dateTime(secret.createdAt)}`}</span>
      {secret.expiresAt ? (
        <span class={ended ? 'muted' : 'warning-text'}>
          {ended
            ? `stopped signing ${dateTime(secret.expiresAt)}`
            : `still signs until ${dateTime(secret.expiresAt)}`}
        </span>
      ) : null}
      {secret.shown ? null : (
        <span class="muted">made by Palaver and never shown: rotate to get one you can copy</span>
      )}
    </li>
  );
}
