/**
 * What travels on the bus: a frame already serialised once (so fan-out to thousands of sockets,
 * or across Redis, costs no re-encoding) and, optionally, the socket it came from, which must not
 * receive its own event back.
 */
export interface BusEnvelope {
  data: string;
  originSocketId?: string;
}

export type BusHandler = (envelope: BusEnvelope) => void;

/**
 * Publish/subscribe between the services and the sockets. The in-process implementation serves a
 * single server; a Redis one can replace it without touching the gateway.
 */
export interface Bus {
  publish(topic: string, envelope: BusEnvelope): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, handler: BusHandler): () => void;
  close(): Promise<void>;
  /** Whether events reach the other instances right now; absent for a single-process bus. */
  healthy?(): boolean;
  /** Called when the bus works again after it may have lost events. */
  onRecovered?(listener: () => void): void;
}

/** Topic of everything agents of a project see. */
export const projectTopic = (projectId: string) => `project:${projectId}`;
/** Topic of everything one visitor's sockets see. */
export const visitorTopic = (visitorId: string) => `visitor:${visitorId}`;
/**
 * Topic of signals about one agent's access (deactivated, new password, membership changed). Its
 * envelopes are for the server side of the agent's sockets, which re-check; clients never see them.
 */
export const agentTopic = (agentId: string) => `agent:${agentId}`;
/** Topic of what every admin's console sees, whatever the project (integration health). */
export const adminsTopic = 'admins';
/** Topic of what every visitor of a project sees (agent presence). */
export const projectVisitorsTopic = (projectId: string) => `project-visitors:${projectId}`;

export class InProcessBus implements Bus {
  private readonly topics = new Map<string, Set<BusHandler>>();

  publish(topic: string, envelope: BusEnvelope): Promise<void> {
    const handlers = this.topics.get(topic);
    if (handlers) {
      for (const handler of [...handlers]) handler(envelope);
    }
    return Promise.resolve();
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    let handlers = this.topics.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.topics.set(topic, handlers);
    }
    handlers.add(handler);
    return () => {
      const set = this.topics.get(topic);
      if (!set) return;
      set.delete(handler);
      if (set.size === 0) this.topics.delete(topic);
    };
  }

  close(): Promise<void> {
    this.topics.clear();
    return Promise.resolve();
  }
}
