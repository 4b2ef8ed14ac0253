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
        <p class="panel-note">
          No profile yet — connect your user API in Project settings → API Integration to see name,
          email and more here.
        </p>
      )}
    </section>
  );
}
