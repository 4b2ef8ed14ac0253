import type { Announcer } from './port.js';

type Change = {
  [K in keyof Announcer]: { kind: K; args: Parameters<Announcer[K]> };
}[keyof Announcer];

/** Test support: an announcer that keeps every change it is told, in order. */
export class RecordingAnnouncer implements Announcer {
  readonly changes: Change[] = [];

  /** The kinds of changes announced so far, in order. */
  kinds(): Array<keyof Announcer> {
    return this.changes.map((c) => c.kind);
  }

  of<K extends keyof Announcer>(kind: K): Array<Parameters<Announcer[K]>> {
    return this.changes
      .filter((c) => c.kind === kind)
      .map((c) => c.args as Parameters<Announcer[K]>);
  }

  clear(): void {
    this.changes.length = 0;
  }

  private record(change: Change): Promise<void> {
    this.changes.push(change);
    return Promise.resolve();
  }

  messageCreated(...args: Parameters<Announcer['messageCreated']>) {
    return this.record({ kind: 'messageCreated', args });
  }
  conversationChanged(...args: Parameters<Announcer['conversationChanged']>) {
    return this.record({ kind: 'conversationChanged', args });
  }
  typing(...args: Parameters<Announcer['typing']>) {
    return this.record({ kind: 'typing', args });
  }
  read(...args: Parameters<Announcer['read']>) {
    return this.record({ kind: 'read', args });
  }
  visitorUpdated(...args: Parameters<Announcer['visitorUpdated']>) {
    return this.record({ kind: 'visitorUpdated', args });
  }
  profileFetching(...args: Parameters<Announcer['profileFetching']>) {
    return this.record({ kind: 'profileFetching', args });
  }
  profileChanged(...args: Parameters<Announcer['profileChanged']>) {
    return this.record({ kind: 'profileChanged', args });
  }
  agentAccessChanged(...args: Parameters<Announcer['agentAccessChanged']>) {
    return this.record({ kind: 'agentAccessChanged', args });
  }
  presenceChanged(...args: Parameters<Announcer['presenceChanged']>) {
    return this.record({ kind: 'presenceChanged', args });
  }
  integrationHealthChanged(...args: Parameters<Announcer['integrationHealthChanged']>) {
    return this.record({ kind: 'integrationHealthChanged', args });
  }
}
