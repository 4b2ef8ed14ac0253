/** Memory per idle visitor socket: the server's RSS and V8 heap before and after opening them. */
import { settle, serverHeap, vmRssBytes } from './meters.js';
import type { MemoryResult } from './report.js';
import type { Rig } from './rig.js';

/** Runs first, on a fresh process: no freed-but-kept pages yet. */
export async function measureMemory(
  rig: Rig,
  idleSockets: number,
  log: (line: string) => void,
): Promise<MemoryResult> {
  const { server, inspectorUrl } = rig;
  await settle(server.pid);
  const rssBefore = vmRssBytes(server.pid);
  const heapBefore = inspectorUrl ? await serverHeap(inspectorUrl) : null;
  const rssBeforeAfterGc = vmRssBytes(server.pid);
  await rig.visitors(idleSockets);
  await settle(server.pid);
  const heapAfter = inspectorUrl ? await serverHeap(inspectorUrl) : null;
  const rssAfter = vmRssBytes(server.pid);
  log(
    `memory: ${idleSockets} sockets, RSS ${(rssBeforeAfterGc / 2 ** 20).toFixed(1)} → ${(rssAfter / 2 ** 20).toFixed(1)} MB`,
  );
  return {
    sockets: idleSockets,
    rssBefore: Math.min(rssBefore, rssBeforeAfterGc),
    rssAfter,
    heapBefore: heapBefore?.heapUsed ?? null,
    heapAfter: heapAfter?.heapUsed ?? null,
    externalBefore: heapBefore?.external ?? null,
    externalAfter: heapAfter?.external ?? null,
  };
}
