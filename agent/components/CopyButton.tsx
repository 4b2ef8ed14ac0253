import { useEffect, useState } from 'preact/hooks';
import { Icon } from './Icon.js';

/**
 * Copies `text`; where the clipboard is unavailable (no secure context or no permission) it
 * selects `target` so the person can copy by hand, and says so.
 */
export function CopyButton(props: {
  text: string;
  label: string;
  target: () => HTMLElement | null;
  class?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy(): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      const node = props.target();
      const selection = getSelection();
      if (node && selection) {
        const range = document.createRange();
        range.selectNodeContents(node);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setState('manual');
    }
  }

  return (
    <>
      <button
        type="button"
        class={`button button-small ${props.class ?? ''}`}
        onClick={() => void copy()}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} size={14} />
        {state === 'copied' ? 'Copied' : props.label}
      </button>
      <span class="copy-status" role="status">
        {state === 'copied'
          ? 'Copied to the clipboard.'
          : state === 'manual'
            ? 'Selected: press Ctrl+C (⌘C on a Mac) to copy.'
            : ''}
      </span>
    </>
  );
}
