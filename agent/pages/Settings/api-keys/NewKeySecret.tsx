import { SecretReveal } from '../../../components/SecretReveal.js';

/** A new key's secret, shown this once. */
export function NewKeySecret(props: { label: string; secret: string; onDismiss: () => void }) {
  return (
    <SecretReveal
      label={`API key ${props.label}`}
      noun="key"
      secret={props.secret}
      testId="api-key-secret"
      onDismiss={props.onDismiss}
    >
      Keep it on your server only (for example as PALAVER_API_KEY), never in browser code. If it is
      lost, revoke it and create another.
    </SecretReveal>
  );
}
