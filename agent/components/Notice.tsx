import { Icon } from './Icon.js';

/**
 * A line above a page's content, or nothing without text: an error, read out at once (`alert`),
 * or, `ok`, a success, read out when the reader pauses (`status`).
 */
export function Notice({ text, ok }: { text: string | null | undefined; ok?: boolean }) {
  if (!text) return null;
  return ok ? (
    <p class="notice notice-success" role="status">
      <Icon name="check" size={14} />
      {text}
    </p>
  ) : (
    <p class="notice notice-error" role="alert">
      {text}
    </p>
  );
}
