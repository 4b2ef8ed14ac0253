import type { Contact } from '../../../protocol/index.js';
import { ProfileAvatar } from '../../components/Avatar.js';
import { dateTime, relativeTime } from '../../lib/format.js';
import { SOURCE_NAMES, sourcesOf } from '../../lib/provenance.js';
import { hrefOf } from '../../stores/route.js';
import { IdentityCell } from './IdentityCell.js';
import { contactLabel } from './names.js';

/** One contact in the Contacts table: who, email, identity, sources, last change. */
export function ContactRow(props: { projectId: string; contact: Contact; now: number }) {
  const { contact } = props;
  const label = contactLabel(contact);
  const href = hrefOf({
    name: 'contact',
    projectId: props.projectId,
    externalId: contact.externalId,
  });
  return (
    <tr data-testid="contact-row">
      <td>
        <div class="person">
          <ProfileAvatar
            label={label}
            seed={contact.externalId}
            src={contact.avatarUrl}
            size="sm"
          />
          <div class="person-text">
            <a class="strong ellipsis contact-link" href={href}>
              {label}
            </a>
            {label !== contact.externalId ? (
              <span class="muted ellipsis">
                <code>{contact.externalId}</code>
              </span>
            ) : null}
          </div>
        </div>
      </td>
      <td class="cell-email">
        {contact.email ? <span class="break">{contact.email}</span> : <span class="muted">—</span>}
      </td>
      <td>
        <IdentityCell identity={contact.identity} />
      </td>
      <td>
        <span class="chips">
          {sourcesOf(contact.provenance).map((source) => (
            <span key={source} class={`chip source-chip source-${source}`}>
              {SOURCE_NAMES[source]}
            </span>
          ))}
        </span>
      </td>
      <td class="cell-time">
        <time dateTime={contact.updatedAt} title={dateTime(contact.updatedAt)}>
          {relativeTime(contact.updatedAt, props.now)}
        </time>
      </td>
    </tr>
  );
}
