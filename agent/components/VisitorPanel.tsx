import type { ComponentChildren } from 'preact';
import type { VisitorDetails } from '../../protocol/index.js';
import { dateTime, safeHttpUrl } from '../lib/format.js';
import { IdentityBadge } from './IdentityBadge.js';
import { ProfileSection, type ProfileField } from './ProfileSection.js';

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const unknown = <span class="muted">Unknown</span>;

export function VisitorPanel(props: { visitor: VisitorDetails; profile: ProfileField[] | null }) {
  const { visitor } = props;
  const href = safeHttpUrl(visitor.pageUrl);
  return (
    <aside class="visitor-panel" aria-label="Visitor">
      <section class="panel-section">
        <h2 class="panel-heading">Visitor</h2>
        <dl class="facts">
          <Fact label="Identity">
            <IdentityBadge identity={visitor.identity} />
          </Fact>
          <Fact label="Site user id">
            {visitor.externalUserId ? <code>{visitor.externalUserId}</code> : unknown}
          </Fact>
          <Fact label="Page">
            {href ? (
              <a href={href} target="_blank" rel="noopener noreferrer" class="break">
                {visitor.pageUrl}
              </a>
            ) : visitor.pageUrl ? (
              <span class="break">{visitor.pageUrl}</span>
            ) : (
              unknown
            )}
          </Fact>
          <Fact label="Browser">{visitor.browser ?? unknown}</Fact>
          <Fact label="Locale">{visitor.locale ?? unknown}</Fact>
          <Fact label="First seen">{dateTime(visitor.firstSeenAt)}</Fact>
          <Fact label="Last seen">{dateTime(visitor.lastSeenAt)}</Fact>
        </dl>
      </section>
      <ProfileSection profile={props.profile} />
    </aside>
  );
}
