import { useEffect, useRef, useState } from 'preact/hooks';
import { CreateApiKeyRequest, type ApiKeyRole } from '../../../../protocol/index.js';
import { Field, describedBy } from '../../../components/Field.js';
import { Notice } from '../../../components/Notice.js';
import { check, messageFor } from '../../../lib/form.js';
import { createApiKey } from '../../../stores/api-keys.js';
import { focusFirstInvalid, useSettingsForm } from '../form.js';
import { ROLES } from './roles.js';

const FIELDS = ['label', 'roles', 'expiresAt'];

/** `YYYY-MM-DD` in local time. */
function dayText(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A key that expires "on" a day works until that day ends, in the admin's time zone. */
function endOfDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year ?? 0, (month ?? 1) - 1, date ?? 1, 23, 59, 59, 999).toISOString();
}

/** A new key: its label, its roles, and optionally the day it stops working. */
export function ApiKeyCreateForm(props: {
  projectId: string;
  onCancel: () => void;
  onCreated: (secret: string, label: string) => void;
}) {
  const first = useRef<HTMLInputElement>(null);
  const [label, setLabel] = useState('');
  const [roles, setRoles] = useState<ApiKeyRole[]>([]);
  const [expiry, setExpiry] = useState('');
  const form = useSettingsForm(FIELDS);

  useEffect(() => first.current?.focus(), []);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const body = {
      label: label.trim(),
      roles: ROLES.map((r) => r.role).filter((role) => roles.includes(role)),
      expiresAt: expiry ? endOfDay(expiry) : null,
    };
    const outcome = await form.submit(
      check(CreateApiKeyRequest, body),
      async () => props.onCreated(await createApiKey(props.projectId, body), body.label),
      element,
    );
    if (outcome === 'failed') focusFirstInvalid(element);
  }

  const toggle = (role: ApiKeyRole) =>
    setRoles(roles.includes(role) ? roles.filter((r) => r !== role) : [...roles, role]);
  const msg = (path: string) => messageFor(form.problems, path);
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate aria-label="New API key">
      <h2 class="card-title">New API key</h2>
      <Notice text={form.summary} />
      <div class="form-row">
        <Field
          id="key-label"
          label="Label"
          hint="Who or what uses it, e.g. “CRM sync”. Pushed values show it as their source."
          error={msg('label')}
        >
          <input
            ref={first}
            class="input"
            autoComplete="off"
            {...describedBy('key-label', msg('label'), true)}
            value={label}
            onInput={(e) => setLabel(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="key-expiry"
          label="Expires (optional)"
          hint="The key works until the end of this day, your time. Empty: until revoked."
          error={msg('expiresAt')}
        >
          <input
            class="input"
            type="date"
            min={dayText(new Date())}
            {...describedBy('key-expiry', msg('expiresAt'), true)}
            value={expiry}
            onInput={(e) => setExpiry(e.currentTarget.value)}
          />
        </Field>
      </div>
      <fieldset class="field" aria-invalid={msg('roles') ? true : undefined}>
        <legend>Roles</legend>
        <div class="checks">
          {ROLES.map(({ role, text }) => {
            const on = roles.includes(role);
            return (
              <label key={role} class={on ? 'check is-on' : 'check'}>
                <input type="checkbox" checked={on} onChange={() => toggle(role)} />
                <code>{role}</code> {text}
              </label>
            );
          })}
        </div>
        {msg('roles') ? <p class="field-error">{msg('roles')}</p> : null}
      </fieldset>
      <div class="form-actions">
        <button type="button" class="button button-ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={form.saving}>
          {form.saving ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
