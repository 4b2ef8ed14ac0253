import type { IdentityStatus } from '../../protocol/index.js';

const LABELS: Record<IdentityStatus, { text: string; icon: string; title: string }> = {
  verified: { text: 'Verified', icon: '✓', title: 'The site proved who this user is' },
  claimed: {
    text: 'Unverified',
    icon: '!',
    title: 'Claimed: the site sent this user id without proof',
  },
  anonymous: { text: 'Anonymous', icon: '○', title: 'Not signed in on the site' },
};

/** Identity in colour and words, so it reads without colour vision too. */
export function IdentityBadge({ identity }: { identity: IdentityStatus }) {
  const label = LABELS[identity];
  return (
    <span class={`badge badge-${identity}`} title={label.title}>
      <span class="badge-icon" aria-hidden="true">
        {label.icon}
      </span>
      {label.text}
    </span>
  );
}
