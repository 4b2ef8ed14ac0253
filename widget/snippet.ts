/**
 * The text a site owner pastes. The queue stub makes `Palaver(...)` callable before the loader
 * arrives: calls are queued on `Palaver.q` and the loader replays them in order.
 */
export const queueStubSource =
  "(function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}})(window,'Palaver');";

/**
 * The queue stub plus the loader, inserted once the page has loaded: a script fetched before the
 * load event delays it (even an async one), and the chat must never slow the page it sits on.
 */
export function deferredLoaderSource(widgetUrl: string): string {
  const url = JSON.stringify(widgetUrl).replace(/</g, '\\u003c');
  return `(function(w,d,n,u){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)};function l(){var s=d.createElement('script');s.async=true;s.src=u;d.head.appendChild(s)}if(d.readyState==='complete')l();else w.addEventListener('load',l)})(window,document,'Palaver',${url});`;
}

export interface SnippetOptions {
  /** Where the Palaver server is reached from visitors' browsers, e.g. `https://chat.example.com`. */
  publicUrl: string;
  projectId: string;
}

/** The complete snippet: stub and deferred loader, and an anonymous `init`. */
export function embedSnippet({ publicUrl, projectId }: SnippetOptions): string {
  const base = publicUrl.replace(/\/+$/, '');
  const id = JSON.stringify(projectId).replace(/</g, '\\u003c');
  return `<script>
  ${deferredLoaderSource(`${base}/widget/widget.js`)}
  Palaver('init', { projectId: ${id} });
  // Signed-in users: Palaver('init', { projectId: ${id}, externalUserId, userToken });
</script>`;
}
