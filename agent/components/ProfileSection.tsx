import { Icon } from './Icon.js';

/** One line of a contact's profile, already formatted for display. */
export interface ProfileField {
  label: string;
  value: string;
}

/**
 * What the site's user API said about the contact. `profile` stays null until a project connects
 * its user API; the fetcher then supplies the fields (and their provenance) to show here.
 */
export function ProfileSection({ profile }: { profile: ProfileField[] | null }) {
  return (
    <section class="panel-section" aria-labelledby="profile-heading">
      <h3 id="profile-heading" class="panel-heading">
        Profile
      </h3>
      {profile && profile.length > 0 ? (
        <dl class="facts">
          {profile.map((field) => (
            <div key={field.label} class="fact">
              <dt>{field.label}</dt>
              <dd>{field.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <div class="panel-empty" data-testid="profile-empty">
          <span class="panel-empty-icon">
            <Icon name="user" size={18} />
          </span>
          <p class="panel-empty-title">No profile yet</p>
          <p class="panel-empty-text">
            Connect your user API in Settings → Integration to see this person’s name, email and
            account details here.
          </p>
        </div>
      )}
    </section>
  );
}
