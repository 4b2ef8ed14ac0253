import { useEffect, useRef, useState } from 'preact/hooks';
import { embedSnippet } from '../../widget/snippet.js';
import { Icon } from './Icon.js';

type CopyState = 'idle' | 'copied' | 'manual';

/** The exact snippet a site owner pastes, with a Copy button. */
export function EmbedSnippet({ publicUrl, projectId }: { publicUrl: string; projectId: string }) {
  const code = embedSnippet({ publicUrl, projectId });
  const pre = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  function selectAll(): void {
    const node = pre.current;
    const selection = getSelection();
    if (!node || !selection) return;
    const range = document.createRange();
    range.selectNodeContents(node);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  async function copy(): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      setState('copied');
    } catch {
      // Clipboard access needs a secure context and permission; let the person copy by hand.
      selectAll();
      setState('manual');
    }
  }

  return (
    <div class="snippet">
      <pre ref={pre} tabIndex={0} aria-label="Embed snippet">
        <code>{code}</code>
      </pre>
      <button type="button" class="button button-small snippet-copy" onClick={() => void copy()}>
        <Icon name={state === 'copied' ? 'check' : 'copy'} size={14} />
        {state === 'copied' ? 'Copied' : 'Copy snippet'}
      </button>
      <p class="snippet-status" role="status">
        {state === 'copied'
          ? 'Snippet copied to the clipboard.'
          : state === 'manual'
            ? 'Snippet selected: press Ctrl+C (⌘C on a Mac) to copy it.'
            : ''}
      </p>
    </div>
  );
}
