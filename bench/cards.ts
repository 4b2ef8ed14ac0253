/**
 * Cards: what Palaver adds to the site's own time, and what cards cost the opening of a
 * conversation.
 *
 * In one process: a real server (temp SQLite) and an HTTP client over a keep-alive agent; the
 * site's card endpoint runs in a worker thread with its own event loop and reports, per
 * Palaver-Request-Id, its handler's own time (request event → answer flushed).
 *  - overhead: GET …/cards/{cardId}?refresh=true (every call asks the site) one at a time; the
 *    route's latency minus the site's handler time for that call: HTTP in and out of Palaver, the
 *    conversation and contact lookups, signing, the guarded call, the card parse, the card log
 *    write. Target p50 ≤ 1 ms, p99 ≤ 3 ms.
 *  - opening: GET conversation + GET messages (in parallel, as the console does), before the
 *    project has cards and with 3 enabled; cards load on their own requests, so the opening must
 *    not change. The time until the 3 cards are loaded (in parallel) is reported beside it.
 *
 *   npx tsx bench/cards.ts [--quick]
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Agent, request } from 'undici';
import type { CardSettings } from '../protocol/index.js';
import { AgentClient, startConversation } from '../test/support/clients.js';
import { ADMIN, PROJECT_ID, startTestServer } from '../test/support/server.js';
import { print } from './identity.js';
import { noiseFloor, summarize, type BenchSection, type GoalResult } from './types.js';

const CARD = JSON.stringify({
  card: {
    version: 1,
    title: 'Orders',
    components: [
      {
        type: 'keyValue',
        items: [
          { label: 'Plan', value: 'Pro' },
          { label: 'Orders', value: 12 },
        ],
      },
      {
        type: 'table',
        columns: ['Order', 'Total', 'Status'],
        rows: [
          ['A-1001', '€249.00', 'Paid'],
          ['A-0998', '€19.00', 'Refunded'],
        ],
      },
      { type: 'button', text: 'Refund', action: 'refund:A-1001', confirm: 'Refund €249?' },
    ],
  },
});

const SITE_SOURCE = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const body = Buffer.from(workerData.answer);
const server = createServer((req, res) => {
  const started = performance.now();
  const id = req.headers['palaver-request-id'];
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body, () => parentPort.postMessage({ id, ms: performance.now() - started }));
  });
});
server.keepAliveTimeout = 120000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => { if (m === 'close') { server.closeAllConnections(); server.close(); parentPort.close(); } });
`;

async function startSite() {
  const worker = new Worker(SITE_SOURCE, { eval: true, workerData: { answer: CARD } });
  // Handler times in the order the site answered; calls measured one at a time take them in turn.
  const reports: number[] = [];
  let waiting: ((ms: number) => void) | null = null;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { port?: number; ms?: number }) => {
      if (m.port !== undefined) resolve(m.port);
      else if (m.ms !== undefined) {
        if (waiting) {
          waiting(m.ms);
          waiting = null;
        } else reports.push(m.ms);
      }
    });
  });
  return {
    url: (name: string) => `http://127.0.0.1:${port}/cards/${name}`,
    /** The handler time of the next call the site answers (or already answered). */
    nextHandledMs(): Promise<number> {
      const ms = reports.shift();
      if (ms !== undefined) return Promise.resolve(ms);
      return new Promise((resolve) => (waiting = resolve));
    },
    /** Forgets the reports of calls that were not measured one at a time. */
    drop(): void {
      reports.length = 0;
    },
    async close() {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      await exited;
    },
  };
}

export async function run(options: { quick?: boolean } = {}): Promise<BenchSection> {
  const quick = options.quick ?? false;
  const [server, site] = await Promise.all([startTestServer(), startSite()]);
  const agent = new Agent({ connections: 8, keepAliveTimeout: 60_000 });
  try {
    const admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    const get = async (path: string) => {
      const response = await request(`${server.url}${path}`, {
        dispatcher: agent,
        headers: { cookie: admin.cookie },
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${text}`);
      return text;
    };
    const conversation = await startConversation(server);
    conversation.socket.close();
    const conversationId = conversation.conversationId;

    // Opening a conversation, as the console does: conversation + messages in parallel.
    const open = async () => {
      const started = performance.now();
      await Promise.all([
        get(`/api/agent/conversations/${conversationId}`),
        get(`/api/agent/conversations/${conversationId}/messages?limit=50`),
      ]);
      return performance.now() - started;
    };
    const rounds = quick ? 100 : 500;
    const opens = async () => {
      const times: number[] = [];
      for (let i = 0; i < rounds + 50; i++) {
        const ms = await open();
        if (i >= 50) times.push(ms);
      }
      return times;
    };
    const without = await opens();

    const cards: string[] = [];
    for (const name of ['Orders', 'Billing', 'Trials']) {
      const created = await admin.request<CardSettings>(
        'POST',
        `/api/admin/projects/${PROJECT_ID}/cards`,
        { name, url: site.url(name), cacheSeconds: 0 },
      );
      cards.push(created.body.id);
    }

    // The route's latency for one card call, and the site's own time for that call.
    const cardPath = `/api/agent/conversations/${conversationId}/cards/${cards[0]}?refresh=true`;
    const overheads: number[] = [];
    const routes: number[] = [];
    const sites: number[] = [];
    const iterations = quick ? 200 : 1500;
    site.drop();
    for (let i = 0; i < iterations + 100; i++) {
      const started = performance.now();
      const answer = await get(cardPath);
      const route = performance.now() - started;
      if (!answer.includes('"status":"ok"')) throw new Error(`card call failed: ${answer}`);
      const ms = await site.nextHandledMs();
      if (i < 100) continue; // warm-up: JIT, connections, the signing-secret cache
      routes.push(route);
      sites.push(ms);
      overheads.push(route - ms);
    }

    // The card call alone, in process: what CardService does for one card (the conversation and
    // contact, signing, the guarded call, parsing, the cache and the card log), without the
    // console's own HTTP request to Palaver and its session check around it.
    const adminRecord = (await server.services.store.agents.byEmail(ADMIN.email))!;
    const pipelines: number[] = [];
    site.drop();
    for (let i = 0; i < iterations + 100; i++) {
      const started = performance.now();
      const loaded = await server.services.cardCalls.load(
        adminRecord,
        conversationId,
        cards[0]!,
        true,
      );
      const took = performance.now() - started;
      if (loaded.status !== 'ok') throw new Error(`card call failed: ${JSON.stringify(loaded)}`);
      const ms = await site.nextHandledMs();
      if (i >= 100) pipelines.push(took - ms);
    }

    const withCards = await opens();
    // The console draws the frames from the list, then loads the 3 cards in parallel.
    const loaded: number[] = [];
    for (let i = 0; i < rounds + 50; i++) {
      const started = performance.now();
      await get(`/api/agent/conversations/${conversationId}/cards`);
      await Promise.all(
        cards.map((id) =>
          get(`/api/agent/conversations/${conversationId}/cards/${id}?refresh=true`),
        ),
      );
      if (i >= 50) loaded.push(performance.now() - started);
    }

    const overhead = summarize(overheads);
    const pipeline = summarize(pipelines);
    const route = summarize(routes);
    const siteTime = summarize(sites);
    const openWith = summarize(withCards);
    const openWithout = summarize(without);
    const cardsLoaded = summarize(loaded);
    const noise = noiseFloor();
    const ms = (n: number) => `${n.toFixed(2)} ms`;
    const goals: GoalResult[] = [
      {
        goal: 'card call overhead beyond the site p50 ≤ 1 ms (in process)',
        target: '1 ms',
        measured: ms(pipeline.p50),
        pass: pipeline.p50 <= 1,
      },
      {
        goal: 'card call overhead beyond the site p99 ≤ 3 ms (in process)',
        target: '3 ms',
        measured: ms(pipeline.p99),
        pass: pipeline.p99 <= 3,
      },
      {
        goal: 'the same through the console’s route (HTTP in and out, session), p50 / p99',
        target: '1 ms / 3 ms',
        measured: `${ms(overhead.p50)} / ${ms(overhead.p99)}`,
        pass: overhead.p50 <= 1 && overhead.p99 <= 3,
      },
    ];
    return {
      id: 'cards',
      title: 'Cards: overhead of a card call, and opening a conversation with cards',
      figures: {
        'card call overhead in process p50 ms': pipeline.p50,
        'card call overhead in process p99 ms': pipeline.p99,
        'card route overhead p50 ms': overhead.p50,
        'card route overhead p99 ms': overhead.p99,
        'card route p50 ms': route.p50,
        'card route p99 ms': route.p99,
        'site handler p50 ms': siteTime.p50,
        'site handler p99 ms': siteTime.p99,
        'open with 3 cards p50 ms': openWith.p50,
        'open with 3 cards p99 ms': openWith.p99,
        'open without cards p50 ms': openWithout.p50,
        'open without cards p99 ms': openWithout.p99,
        '3 cards loaded p50 ms': cardsLoaded.p50,
        '3 cards loaded p99 ms': cardsLoaded.p99,
        samples: overhead.n,
      },
      goals,
      notes: [
        `${overhead.n} card calls one at a time through the route, then as many in process (CardService.load), cache 0 s so each asks the site; overhead = time − the site handler's own time for that call. Route p50 ${ms(route.p50)} / p99 ${ms(route.p99)}, the site's handler p50 ${ms(siteTime.p50)} / p99 ${ms(siteTime.p99)}.`,
        `Opening a conversation (GET conversation + messages in parallel), ${openWith.n} rounds: with 3 cards p50 ${ms(openWith.p50)} / p99 ${ms(openWith.p99)}, without p50 ${ms(openWithout.p50)} / p99 ${ms(openWithout.p99)}; the 3 cards themselves loaded (list, then all in parallel) p50 ${ms(cardsLoaded.p50)} / p99 ${ms(cardsLoaded.p99)}.`,
        `The client, the server and its SQLite share one process; the site runs in a worker thread. Noise floor (1 ms of CPU timed): p50 ${ms(noise.p50)} / p99 ${ms(noise.p99)}.`,
      ],
    };
  } finally {
    await agent.close();
    await server.close();
    await site.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  print(await run({ quick: process.argv.includes('--quick') }));
}
