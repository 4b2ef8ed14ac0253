import type { ComponentChildren } from 'preact';
import type { Profile, Provenance } from '../../protocol/index.js';
import { mailtoHref, telHref } from '../lib/format.js';
import { useNow } from '../lib/use-now.js';
import { ProfileAvatar } from './Avatar.js';
import { MetadataList } from './Metadata.js';
import { SourceTag } from './SourceTag.js';

/** "Ada Lovelace", from the full name or its parts; null when the site sent neither. */
export function profileName(
  profile: Pick<Profile, 'name' | 'firstName' | 'lastName'> | null | undefined,
): string | null {
  if (!profile) return null;
  const name =
    profile.name?.trim() || [profile.firstName, profile.lastName].filter(Boolean).join(' ');
  return name.trim() || null;
}

export function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Email({ value }: { value: string }) {
  const href = mailtoHref(value);
  return href ? (
    <a class="fact-link" href={href}>
      <span class="break">{value}</span>
    </a>
  ) : (
    <span class="break">{value}</span>
  );
}

function Phone({ value }: { value: string }) {
  const href = telHref(value);
  return href ? (
    <a class="fact-link" href={href}>
      {value}
    </a>
  ) : (
    <span class="break">{value}</span>
  );
}

/**
 * Email, phone and metadata of a profile: shared by the agent's panel and "Test connection". With
 * `provenance`, each value carries a small tag saying where it came from.
 */
export function ProfileFields(props: {
  profile: Profile;
  provenance?: Provenance;
  children?: ComponentChildren;
}) {
  const { profile, provenance } = props;
  const now = useNow();
  const metadata = Object.keys(profile.metadata).length > 0;
  const tag = (source: Provenance['properties'][string] | undefined) =>
    provenance ? <SourceTag source={source} now={now} compact /> : null;
  return (
    <>
      <dl class="facts">
        {profile.email ? (
          <Fact label="Email">
            <Email value={profile.email} />
            {tag(provenance?.fields.email)}
          </Fact>
        ) : null}
        {profile.phone ? (
          <Fact label="Phone">
            <Phone value={profile.phone} />
            {tag(provenance?.fields.phone)}
          </Fact>
        ) : null}
        {props.children}
      </dl>
      {metadata ? (
        <div class="profile-meta">
          <h4 class="panel-subheading">Details</h4>
          <MetadataList
            data={profile.metadata}
            {...(provenance ? { aside: (key: string) => tag(provenance.properties[key]) } : {})}
          />
        </div>
      ) : null}
    </>
  );
}

/** Avatar, name and fields: the parsed profile as "Test connection" previews it. */
export function ProfilePreview({ profile, seed }: { profile: Profile; seed: string }) {
  const name = profileName(profile);
  return (
    <div class="profile-preview">
      <div class="profile-preview-head">
        <ProfileAvatar label={name ?? seed} seed={seed} src={profile.avatarUrl} />
        <span class="strong break">{name ?? <span class="muted">No name</span>}</span>
      </div>
      <ProfileFields profile={profile} />
    </div>
  );
}
