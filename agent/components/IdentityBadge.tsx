import type { IdentityStatus } from '../../protocol/index.js';

const LABELS: Record<
  IdentityStatus,
  { text: string; long: string; icon: string; title: string; note: string }
> = {
  verified: {
    text: 'Verified',
    long: 'Verified',
    icon: '✓',
    title: 'Verified: the site proved who this user is',
    note: 'The site signed this user id: you are talking to the account holder.',
  },
  claimed: {
    text: 'Unverified',
    long: 'Unverified (claimed)',
    icon: '!',
    title: 'Unverified: the site sent this user id without proof',
    note: 'The user id came from the browser without proof. Anyone could have claimed it: confirm who you are talking to before sharing account details.',
  },
  anonymous: {
    text: 'Anonymous',
    long: 'Anonymous',
    icon: '○',
    title: 'Anonymous: not signed in on the site',
    note: 'Not signed in on the site, or the site passed no user id that Palaver accepted.',
  },
};

/** Identity in colour and words, so it reads without colour vision too. */
export function IdentityBadge(props: { identity: IdentityStatus; compact?: boolean }) {
  const label = LABELS[props.identity];
  return (
    <span
      class={`badge badge-${props.identity}${props.compact ? ' badge-compact' : ''}`}
      title={label.title}
    >
      <span class="badge-icon" aria-hidden="true">
        {label.icon}
      </span>
      <span>{props.compact ? label.text : label.long}</span>
    </span>
  );
}

export function identityExplanation(identity: IdentityStatus): string {
  return LABELS[identity].note;
}
