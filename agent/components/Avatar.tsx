import { useEffect, useState } from 'preact/hooks';
import { safeHttpsUrl } from '../lib/format.js';

/** Eight calm background hues; text stays dark enough for contrast on all of them. */
const HUES = [250, 200, 160, 130, 35, 10, 330, 285];

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** "Ada Lovelace" → "AL", "jane@acme.test" → "J", "Visitor 9F3E" → "V". */
export function initials(label: string): string {
  const words = label
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter((w) => /^\p{L}/u.test(w));
  const first = words[0]?.[0] ?? label.trim()[0] ?? '?';
  const second = words.length > 1 ? (words[1]?.[0] ?? '') : '';
  return (first + second).toUpperCase();
}

/** Initials on a colour picked from a stable seed (the visitor or agent id). */
export function Avatar(props: {
  label: string;
  seed: string;
  size?: 'sm' | 'md' | 'lg' | undefined;
}) {
  const hue = HUES[hash(props.seed) % HUES.length] ?? 250;
  return (
    <span class={`avatar avatar-${props.size ?? 'md'} avatar-h${hue}`} aria-hidden="true">
      {initials(props.label)}
    </span>
  );
}

/**
 * The contact's picture when the site gave an https URL that loads; initials otherwise. The
 * image is fetched without a referrer so the site does not learn which console looked.
 */
export function ProfileAvatar(props: {
  label: string;
  seed: string;
  src: string | null;
  size?: 'sm' | 'md' | 'lg';
}) {
  const href = safeHttpsUrl(props.src);
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [href]);
  if (!href || failed) return <Avatar label={props.label} seed={props.seed} size={props.size} />;
  return (
    <img
      class={`avatar avatar-${props.size ?? 'md'} avatar-img`}
      src={href}
      alt=""
      referrerpolicy="no-referrer"
      data-testid="profile-avatar"
      onError={() => setFailed(true)}
    />
  );
}
