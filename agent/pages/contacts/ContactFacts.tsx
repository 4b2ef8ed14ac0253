import type { ComponentChildren } from 'preact';
import type { Contact, ContactField } from '../../../protocol/index.js';
import { MetadataList } from '../../components/Metadata.js';
import { SourceTag } from '../../components/SourceTag.js';
import { mailtoHref, telHref } from '../../lib/format.js';

const FIELDS: { field: ContactField; label: string }[] = [
  { field: 'name', label: 'Name' },
  { field: 'firstName', label: 'First name' },
  { field: 'lastName', label: 'Last name' },
  { field: 'email', label: 'Email' },
  { field: 'phone', label: 'Phone' },
  { field: 'avatarUrl', label: 'Avatar' },
];

function Value({ field, value }: { field: ContactField; value: string }) {
  const href = field === 'email' ? mailtoHref(value) : field === 'phone' ? telHref(value) : null;
  return href ? (
    <a class="fact-link break" href={href}>
      {value}
    </a>
  ) : (
    <span class="break">{value}</span>
  );
}

function Row(props: { label: string; children: ComponentChildren; source: ComponentChildren }) {
  return (
    <div class="contact-fact">
      <dt>{props.label}</dt>
      <dd>
        {props.children}
        {props.source}
      </dd>
    </div>
  );
}

/** The contact's profile fields, each with where and when its value came from. */
export function ContactFacts({ contact, now }: { contact: Contact; now: number }) {
  const known = FIELDS.filter(({ field }) => contact[field]);
  if (known.length === 0) {
    return (
      <p class="muted">
        Nothing is known about this person besides their id: no value was pushed, pulled or carried
        in a token yet.
      </p>
    );
  }
  return (
    <dl class="contact-facts">
      {known.map(({ field, label }) => (
        <Row
          key={field}
          label={label}
          source={<SourceTag source={contact.provenance.fields[field]} now={now} />}
        >
          <Value field={field} value={contact[field] ?? ''} />
        </Row>
      ))}
    </dl>
  );
}

/** The site's traits for this contact, each top-level key with its source. */
export function ContactProperties({ contact, now }: { contact: Contact; now: number }) {
  if (Object.keys(contact.properties).length === 0) {
    return <p class="muted">No properties yet.</p>;
  }
  return (
    <MetadataList
      data={contact.properties}
      aside={(key) => <SourceTag source={contact.provenance.properties[key]} now={now} />}
    />
  );
}
