/**
 * The text a site owner pastes. The queue stub makes `Palaver(...)` callable before the loader
 * arrives: calls are queued on `Palaver.q` and the loader replays them in order.
 */
export const queueStubSource =
  "(function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}})(window,'Palaver');";

export interface SnippetOptions {
  /** Where the Palaver server is reached from visitors' browsers, e.g. `https://chat.example.com`. */
  publicUrl: string;
  projectId: string;
}

/** The complete snippet: the queue stub, an anonymous `init`, and the async loader tag. */
export function embedSnippet({ publicUrl, projectId }: SnippetOptions): string {
  const base = publicUrl.replace(/\/+$/, '');
  const id = JSON.stringify(projectId).replace(/</g, '\\u003c');
  return `<script>
  ${queueStubSource}
  Palaver('init', { projectId: ${id} });
  // Signed-in users: Palaver('init', { projectId: ${id}, externalUserId, userToken });
</script>
<script async src="${escapeAttribute(base)}/widget/widget.js"></script>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
