import type { IdentityStatus } from '../../../protocol/index.js';
import { IdentityBadge } from '../../components/IdentityBadge.js';

/** A contact's identity, or that none of their visitors has chatted yet. */
export function IdentityCell(props: { identity: IdentityStatus | null; compact?: boolean }) {
  if (props.identity)
    return <IdentityBadge identity={props.identity} compact={props.compact ?? true} />;
  return (
    <span class="badge badge-unseen badge-compact" title="Known to the site, never seen in a chat">
      <span class="badge-icon" aria-hidden="true">
        –
      </span>
      <span>Never chatted</span>
    </span>
  );
}
