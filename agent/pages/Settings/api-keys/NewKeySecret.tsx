import { useRef } from 'preact/hooks';
import { CopyButton } from '../../../components/CopyButton.js';
import { Icon } from '../../../components/Icon.js';

/**
 * A new key's secret, shown this once: it lives in the page's state only, and is gone when the
 * admin dismisses it or leaves the page.
 */
export function NewKeySecret(props: { label: string; secret: string; onDismiss: () => void }) {
  const node = useRef<HTMLElement>(null);
  return (
    <div class="secret-reveal" role="alert" aria-label={`API key ${props.label}`}>
      <p class="secret-warning">
        <Icon name="alert" size={16} />
        Copy this key now — you won’t see it again.
      </p>
      <p class="secret-note">
        Keep it on your server only (for example as PALAVER_API_KEY), never in browser code. If it
        is lost, revoke it and create another.
      </p>
      <div class="secret-value">
        <code ref={node} data-testid="api-key-secret">
          {props.secret}
        </code>
        <CopyButton text={props.secret} label="Copy key" target={() => node.current} />
      </div>
      <button type="button" class="button button-small" onClick={props.onDismiss}>
        I have stored it
      </button>
    </div>
  );
}
