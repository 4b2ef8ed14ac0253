import { performance } from 'node:perf_hooks';
import { openSqliteStore } from '../server/store/index.js';
import { ProjectService } from '../server/projects/service.js';
import { RecordingAnnouncer } from '../server/announcer/index.js';
import { applyWrite, blankContact } from '../server/contacts/rules.js';
import { checkBatch } from '../server/contacts/bulk.js';
const store = await openSqliteStore('/tmp/prof2.sqlite');
await new ProjectService(store, new RecordingAnnouncer()).create({ id: 'p', name: 'P', allowedOrigins: [] });
const item = (i: number) => ({ externalId: `u-${i}`, name: `U ${i}`, email: `u${i}@x.com`, phone: '+14155550123', properties: { plan: 'pro', seats: i % 50, company: 'Co', beta: true } });
const origin = { source: 'push' as const, at: new Date().toISOString(), detail: 'b' };
let tc = 0, ts = 0;
for (let b = 0; b < 60; b++) {
  const items = Array.from({ length: 100 }, (_, i) => item(b * 100 + i));
  const t0 = performance.now();
  const { ready } = checkBatch(items, origin);
  const t1 = performance.now();
  const byId = new Map(ready.map((r) => [r.externalId, r.prepared]));
  await store.contacts.change('p', [...byId.keys()], (cur, id) => applyWrite(cur ?? blankContact('p', id, origin.at), byId.get(id)!.write));
  const t2 = performance.now();
  if (b >= 10) { tc += t1 - t0; ts += t2 - t1; }
}
console.log('check ms/batch', tc / 50, 'store ms/batch', ts / 50);
await store.close();
