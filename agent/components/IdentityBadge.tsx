import type { IdentityStatus } from '../../protocol/index.js';

const LABELS: Record<IdentityStatus, { text: string; icon: string; title: string }> = {
  verified: { text: 'Verified', icon: '✓', title: 'Verified: the site proved who this user is' },
  claimed: {
    text: 'Unverified',
    icon: '!',
    title: 'Unverified: the site sent this user id without proof',
  },
  anonymous: { text: 'Anonymous', icon: '○', title: 'Anonymous: not signed in on the site' },
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
      {label.text}
    </span>
  );
}

export function identityExplanation(identity: IdentityStatus): string {
  return LABELS[identity].title;
}
