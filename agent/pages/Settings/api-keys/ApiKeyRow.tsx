import type { ApiKey } from '../../../../protocol/index.js';
import { dateTime } from '../../../lib/format.js';

function status(key: ApiKey, now: number): { text: string; on: boolean } {
  if (key.revokedAt) return { text: 'Revoked', on: false };
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return { text: 'Expired', on: false };
  return { text: 'Active', on: true };
}

/** One key in the table: what it is, who made it, when it was used, and Revoke. */
export function ApiKeyRow(props: {
  apiKey: ApiKey;
  now: number;
  confirming: boolean;
  onRevoke: () => void;
}) {
  const { apiKey: key } = props;
  const state = status(key, props.now);
  return (
    <tr class={state.on ? '' : 'row-inactive'}>
      <td>
        <div class="person-text">
          <span class="strong">{key.label}</span>
          <code class="muted">{key.prefix}…</code>
        </div>
      </td>
      <td>
        <span class="chips">
          {key.roles.map((role) => (
            <span key={role} class="chip">
              {role}
            </span>
          ))}
        </span>
      </td>
      <td>{key.createdBy?.name ?? <span class="muted">—</span>}</td>
      <td>{dateTime(key.createdAt)}</td>
      <td>{key.lastUsedAt ? dateTime(key.lastUsedAt) : <span class="muted">Never</span>}</td>
      <td>{key.expiresAt ? dateTime(key.expiresAt) : <span class="muted">Never</span>}</td>
      <td>
        <span class={state.on ? 'state state-on' : 'state state-off'}>{state.text}</span>
      </td>
      <td class="cell-actions">
        {key.revokedAt ? null : (
          <button
            type="button"
            class="button button-small button-danger"
            aria-label={`Revoke ${key.label}`}
            disabled={props.confirming}
            onClick={props.onRevoke}
          >
            Revoke…
          </button>
        )}
      </td>
    </tr>
  );
}
