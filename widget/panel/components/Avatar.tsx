import { useState } from 'preact/hooks';
import { initials } from '../format.js';

/** An agent's picture, or their initials when there is none or it does not load (host CSP). */
export function Avatar({ name, url }: { name: string | null; url: string | null }) {
  const [broken, setBroken] = useState(false);
  return url && !broken ? (
    <img class="pv-avatar" src={url} alt="" onError={() => setBroken(true)} />
  ) : (
    <span class="pv-avatar" aria-hidden="true">
      {initials(name)}
    </span>
  );
}
