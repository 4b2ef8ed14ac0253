/** One realtime load run: every phase in turn against one server, in an order that reuses sockets. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasTaskset, ROOT } from '../processes.js';
import { measureBroadcast, measureEchoBroadcast } from './broadcast.js';
import type { ClientSocket } from './clients.js';
import { measureFanOut } from './fan-out.js';
import { measureMemory } from './memory.js';
import { runClock, settle } from './meters.js';
import { plan, type LoadPlan } from './plan.js';
import type { LoadReport } from './report.js';
import { startRig } from './rig.js';
import { measureEchoRoundTrip, measureRoundTrip } from './round-trip.js';
import { saturate } from './saturation.js';
import { measureRoundTripWithWebhook } from './webhook-phase.js';
import { Tracker } from './tracker.js';

const ENTRY = join(ROOT, 'dist', 'node', 'demo', 'main.js');
/** The server's per-socket limit is 5 frames/s (burst 40); closed-loop senders stay under it. */
const MAX_SEND_PER_SOCKET = 4.5;

export async function runLoad(options: {
  quick: boolean;
  /** Overrides the sizes and durations `quick` selects (for experiments). */
  plan?: LoadPlan;
  profileDir: string | null;
  /** Extra node flags for the server (experiments: --trace-gc …), and where to save its output. */
  serverNodeArgs?: string[];
  serverLog?: string;
  /** Another build of the demo entry (A/B experiments); default dist/node/demo/main.js. */
  serverEntry?: string;
  log: (line: string) => void;
}): Promise<LoadReport> {
  const entry = options.serverEntry ?? ENTRY;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const p = options.plan ?? plan(options.quick);
  const log = options.log;
  const clock = runClock();
  const rig = await startRig({ ...options, entry });
  try {
    const sessions = await rig.startSessions(
      Math.max(p.idleSockets, p.saturation.sockets, p.roundTrip.visitors),
    );
    log(`${sessions.count} sessions in ${sessions.seconds.toFixed(1)} s`);

    const memory = await measureMemory(rig, p.idleSockets, log);
    const broadcast = await measureBroadcast(rig, p, log);

    const rt = p.roundTrip;
    const visitors = await rig.visitors(rt.visitors);
    const agent = await rig.openAgent();
    await settle(rig.server.pid);
    const { ours, conversationId } = await measureRoundTrip(rig, rt, visitors, agent, log);
    const roundTripEcho = await measureEchoRoundTrip(rig, rt, log);
    log('again, warm (every conversation open):');
    const { ours: roundTripWarm } = await measureRoundTrip(rig, rt, visitors, agent, log, 'w');
    const roundTripWithWebhook = await measureRoundTripWithWebhook(rig, rt, visitors, agent, log);

    const fanOut = conversationId ? await measureFanOut(rig, p, conversationId, log) : [];

    const sat = p.saturation;
    const satVisitors = await rig.visitors(sat.sockets);
    await settle(rig.server.pid);
    log(`saturation: ${sat.sockets} sockets, closed loop, ${sat.seconds} s (Palaver)`);
    const satOurs = await saturate(
      sat,
      satVisitors,
      new Tracker('t', Math.ceil(sat.sockets * MAX_SEND_PER_SOCKET * (sat.seconds + 1))),
      rig.server.pid,
      1000 / MAX_SEND_PER_SOCKET,
      agent,
    );
    log(`  plateau ${satOurs.plateauAckedPerSecond} msg/s acked (${satOurs.perSecond.join(' ')})`);
    await rig.visitors(0);
    await agent.close();

    log(`saturation: ${sat.sockets} sockets, closed loop, ${sat.seconds} s (bare ws echo)`);
    const echoSockets: ClientSocket[] = [];
    const broadcastEcho = await measureEchoBroadcast(rig, p, echoSockets, log);
    echoSockets.push(...(await rig.openEcho(echoSockets.length, sat.sockets)));
    await settle(rig.echo.pid);
    const satEcho = await saturate(
      sat,
      echoSockets,
      new Tracker('s', 4_000_000),
      rig.echo.pid,
      0,
      null,
    );
    log(`  plateau ${satEcho.plateauAckedPerSecond} msg/s echoed (${satEcho.perSecond.join(' ')})`);
    await Promise.all(echoSockets.map((s) => s.close()));

    const { otherCpuPercent, elapsedSeconds } = clock.finish([rig.server.pid, rig.echo.pid]);
    log(`other processes used ${otherCpuPercent.toFixed(0)}% of a core during the run`);
    return {
      plan: p,
      otherCpuPercent,
      elapsedSeconds,
      pinned: { server: hasTaskset, load: false },
      roundTrip: { ours, echo: roundTripEcho },
      roundTripWarm,
      roundTripWithWebhook,
      saturation: { ours: satOurs, echo: satEcho },
      fanOut,
      broadcast,
      broadcastEcho,
      memory,
      sessions: { count: sessions.count, seconds: sessions.seconds },
      profile: null,
    };
  } finally {
    await rig.close();
  }
}
