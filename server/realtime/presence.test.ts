import { describe, expect, test } from 'vitest';
import { RecordingAnnouncer } from '../announcer/index.js';
import { createLogger } from '../logger.js';
import { InProcessBus } from './bus.js';
import { Presence, REMOTE_PRESENCE_TTL_MS } from './presence.js';
import { PresenceSync } from './presence-sync.js';

const logger = createLogger('silent');

describe('agent presence across instances', () => {
  test('an agent online on another instance counts as online here', async () => {
    const bus = new InProcessBus();
    const a = new Presence(new RecordingAnnouncer(), logger);
    const b = new Presence(new RecordingAnnouncer(), logger);
    const syncA = new PresenceSync(bus, a);
    const syncB = new PresenceSync(bus, b);
    a.connected({ id: 'ag1', name: 'Ada', projectIds: ['p1'] });
    syncA.announce();
    expect(b.online('p1')).toEqual([{ agentId: 'ag1', name: 'Ada' }]);
    expect(b.online('p2')).toEqual([]);
    a.disconnected('ag1');
    syncA.announce();
    expect(b.online('p1')).toEqual([]);
    syncA.close();
    syncB.close();
    await bus.close();
  });

  test('an instance that stops announcing is forgotten after the TTL, and its projects change', () => {
    let now = 1_000_000;
    const announcer = new RecordingAnnouncer();
    const here = new Presence(announcer, logger, () => now);
    here.applyRemote({
      instanceId: 'dead',
      agents: [{ agentId: 'ag2', name: 'Bo', projectIds: ['p1', 'p2'] }],
    });
    expect(here.online('p2')).toHaveLength(1);
    now += REMOTE_PRESENCE_TTL_MS - 1;
    expect(here.expire()).toEqual([]);
    now += 2;
    expect(here.online('p2')).toEqual([]);
    expect(here.expire().sort()).toEqual(['p1', 'p2']);
    // Agents and visitors of those projects hear that nobody is online there any more.
    expect(announcer.of('presenceChanged')).toEqual([
      [
        [
          { projectId: 'p1', online: [] },
          { projectId: 'p2', online: [] },
        ],
      ],
    ]);
  });

  test('the same agent on two instances is listed once', () => {
    const here = new Presence(new RecordingAnnouncer(), logger);
    here.connected({ id: 'ag1', name: 'Ada', projectIds: ['p1'] });
    here.applyRemote({
      instanceId: 'x',
      agents: [{ agentId: 'ag1', name: 'Ada', projectIds: ['p1'] }],
    });
    expect(here.online('p1')).toEqual([{ agentId: 'ag1', name: 'Ada' }]);
  });
});
