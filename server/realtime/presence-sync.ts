import { randomBytes } from 'node:crypto';
import type { Bus } from './bus.js';
import type { Presence, PresenceSnapshot } from './presence.js';

const TOPIC = 'presence-sync';
/** Announce this often even without changes, so that others can tell a dead instance. */
export const PRESENCE_HEARTBEAT_MS = 10_000;

/**
 * Keeps presence global across instances: announces this instance's online agents on the bus
 * (on every change and on a heartbeat) and applies the others' announcements.
 */
export class PresenceSync {
  readonly instanceId = randomBytes(8).toString('hex');
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly bus: Bus,
    private readonly presence: Presence,
  ) {
    presence.onLocalChange(() => this.announce());
    // The announcing instance has already told every socket the new online list; applying the
    // snapshot keeps this instance's answers (session start, ready frames) in step with it.
    this.unsubscribe = bus.subscribe(TOPIC, ({ data }) => {
      const snapshot = JSON.parse(data) as PresenceSnapshot;
      if (snapshot.instanceId !== this.instanceId) presence.applyRemote(snapshot);
    });
    this.timer = setInterval(() => {
      presence.expire();
      this.announce();
    }, PRESENCE_HEARTBEAT_MS);
    this.timer.unref();
  }

  announce(): void {
    void this.bus.publish(TOPIC, { data: JSON.stringify(this.presence.snapshot(this.instanceId)) });
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }
}
