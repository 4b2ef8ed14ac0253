/**
 * Problems with a URL an admin gives Palaver to call (an identity endpoint, a card, a webhook),
 * for the settings form; null when it can be called. Private addresses are refused later, when
 * the call connects (guard.ts), because a name may resolve differently by then.
 */
export function siteUrlProblem(
  url: string,
  options: { allowHttp: boolean },
  /** A URL of the kind expected, shown when `url` is not one. */
  example: string,
): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `Enter a full URL such as ${example}`;
  }
  if (parsed.protocol !== 'https:' && !(options.allowHttp && parsed.protocol === 'http:')) {
    return options.allowHttp ? 'Use an http or https URL' : 'Use an https URL';
  }
  if (parsed.username || parsed.password) {
    return 'Put credentials in a header (e.g. Authorization), not in the URL';
  }
  if (parsed.hash) return 'The URL cannot have a #fragment';
  return null;
}
