/** Fan-out: one agent message reaching every agent socket watching the conversation. */
import { pool, sleep } from '../processes.js';
import { clientMessageIdOf } from './clients.js';
import { settle } from './meters.js';
import type { LoadPlan } from './plan.js';
import type { FanOutResult } from './report.js';
import type { Rig } from './rig.js';
import { latency, Tracker } from './tracker.js';

export async function measureFanOut(
  rig: Rig,
  p: LoadPlan,
  conversationId: string,
  log: (line: string) => void,
): Promise<FanOutResult[]> {
  const results: FanOutResult[] = [];
  for (const [round, watchers] of p.fanOutWatchers.entries()) {
    const watching = await pool(0, watchers, 50, () => rig.openAgent());
    const sender = await rig.openAgent();
    await settle(rig.server.pid);
    // A new id prefix per round: the same agent reusing an id would get the old message back.
    const tracker = new Tracker(String.fromCharCode(102 + round), p.fanOutTrials);
    const arrivals = new Uint32Array(p.fanOutTrials);
    const each: number[] = [];
    const last: number[] = [];
    let wake: () => void = () => {};
    for (const socket of watching) {
      socket.handler = (_s, text, now) => {
        if (!text.startsWith('{"type":"message"')) return;
        const id = clientMessageIdOf(text);
        if (!id?.startsWith(tracker.prefix)) return;
        const index = Number(id.slice(1));
        each.push(now - tracker.sentAt[index]!);
        if (++arrivals[index]! === watchers) {
          last.push(now - tracker.sentAt[index]!);
          wake();
        }
      };
    }
    for (let trial = 0; trial < p.fanOutTrials; trial++) {
      const all = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const { id } = tracker.next();
      sender.send(
        JSON.stringify({ type: 'send', conversationId, clientMessageId: id, body: 'On it!' }),
      );
      await Promise.race([all, sleep(5000)]);
      await sleep(20);
    }
    results.push({
      watchers,
      trials: p.fanOutTrials,
      each: latency(each),
      lastPerTrial: latency(last),
    });
    log(`fan-out to ${watchers} agent sockets: p99 ${latency(each).p99.toFixed(2)} ms`);
    await Promise.all([...watching, sender].map((s) => s.close()));
  }
  return results;
}
