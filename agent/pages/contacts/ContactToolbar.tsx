import type { ContactSource, Project } from '../../../protocol/index.js';
import { Icon } from '../../components/Icon.js';
import { SOURCES } from '../../lib/provenance.js';
import { useDebouncedSearch } from '../../lib/use-debounced-search.js';
import type { ContactFilters, IdentityFilter } from '../../stores/contacts.js';

const IDENTITIES: { value: IdentityFilter; label: string }[] = [
  { value: 'verified', label: 'Verified' },
  { value: 'claimed', label: 'Unverified (claimed)' },
  { value: 'unseen', label: 'Never chatted' },
];

const SOURCE_LABELS: Record<ContactSource, string> = {
  push: 'Pushed by the site (API)',
  pull: "Pulled from the site's endpoint",
  token: 'Carried in the signed token',
};

const identityOf = (value: string) => IDENTITIES.find((i) => i.value === value)?.value ?? null;

/** Project, search and filters of the Contacts page. */
export function ContactToolbar(props: {
  projects: Project[];
  filters: ContactFilters;
  onChange: (change: Partial<ContactFilters>) => void;
}) {
  const { filters, onChange } = props;
  const search = useDebouncedSearch(filters.q, (q) => onChange({ q }));
  return (
    <form
      class="contact-toolbar"
      role="search"
      aria-label="Contacts"
      onSubmit={(e) => {
        e.preventDefault();
        search.now();
      }}
    >
      {props.projects.length > 1 ? (
        <select
          class="select select-small"
          aria-label="Project"
          value={filters.projectId ?? ''}
          onChange={(e) => onChange({ projectId: e.currentTarget.value })}
        >
          {props.projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      ) : null}
      <label class="search-box">
        <Icon name="search" size={15} />
        <span class="sr-only">Search contacts</span>
        <input
          class="input"
          type="search"
          placeholder="Search name, email, id or property"
          value={search.text}
          onInput={(e) => search.input(e.currentTarget.value)}
        />
      </label>
      <select
        class="select select-small"
        aria-label="Identity"
        value={filters.identity ?? ''}
        onChange={(e) => onChange({ identity: identityOf(e.currentTarget.value) })}
      >
        <option value="">Any identity</option>
        {IDENTITIES.map((i) => (
          <option key={i.value} value={i.value}>
            {i.label}
          </option>
        ))}
      </select>
      <select
        class="select select-small"
        aria-label="Source"
        value={filters.source ?? ''}
        onChange={(e) =>
          onChange({ source: SOURCES.find((s) => s === e.currentTarget.value) ?? null })
        }
      >
        <option value="">Any source</option>
        {SOURCES.map((s) => (
          <option key={s} value={s}>
            {SOURCE_LABELS[s]}
          </option>
        ))}
      </select>
    </form>
  );
}
