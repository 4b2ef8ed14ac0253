import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { CopyButton } from './CopyButton.js';
import { Icon } from './Icon.js';

/**
 * A new secret, shown this once with a copy button: it lives in the page's state only, and is
 * gone when the admin dismisses it or leaves the page.
 */
export function SecretReveal(props: {
  /** Names the alert for assistive technology, e.g. `API key CRM sync`. */
  label: string;
  /** What the secret is, in the warning: `key`, `secret`. */
  noun: string;
  secret: string;
  testId: string;
  /** Where to keep it, and what to do if it is lost. */
  children: ComponentChildren;
  onDismiss: () => void;
}) {
  const node = useRef<HTMLElement>(null);
  return (
    <div class="secret-reveal" role="alert" aria-label={props.label}>
      <p class="secret-warning">
        <Icon name="alert" size={16} />
        Copy this {props.noun} now — you won’t see it again.
      </p>
      <p class="secret-note">{props.children}</p>
      <div class="secret-value">
        <code ref={node} data-testid={props.testId}>
          {props.secret}
        </code>
        <CopyButton text={props.secret} label={`Copy ${props.noun}`} target={() => node.current} />
      </div>
      <button type="button" class="button button-small" onClick={props.onDismiss}>
        I have stored it
      </button>
    </div>
  );
}
