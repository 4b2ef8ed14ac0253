import { useEffect, useRef, useState } from 'preact/hooks';

/** Typing pauses this long before a search is sent. */
const SEARCH_DELAY_MS = 300;

/** A search box that waits for a pause in typing; Enter searches at once. */
export function useDebouncedSearch(value: string, onSearch: (q: string) => void) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(onSearch);
  latest.current = onSearch;

  useEffect(() => setText(value), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return {
    text,
    input(next: string) {
      setText(next);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => latest.current(next), SEARCH_DELAY_MS);
    },
    now() {
      clearTimeout(timer.current);
      latest.current(text);
    },
  };
}
