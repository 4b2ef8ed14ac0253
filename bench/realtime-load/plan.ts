/** How big and how long each phase of the realtime load run is. */
export interface LoadPlan {
  quick: boolean;
  /** Round trip: visitor sockets × 1 msg/s for `seconds`. */
  roundTrip: { visitors: number; seconds: number; rate: number };
  /** Idle sockets for the memory figure and the widest broadcast. */
  idleSockets: number;
  broadcastSizes: number[];
  broadcastTrials: number;
  fanOutWatchers: number[];
  fanOutTrials: number;
  /** Closed-loop saturation: this many sockets, one message in flight each. */
  saturation: { sockets: number; seconds: number; warmupSeconds: number };
}

export function plan(quick: boolean): LoadPlan {
  return quick
    ? {
        quick,
        roundTrip: { visitors: 200, seconds: 3, rate: 1 },
        idleSockets: 1000,
        broadcastSizes: [1000],
        broadcastTrials: 3,
        fanOutWatchers: [10, 100],
        fanOutTrials: 5,
        saturation: { sockets: 1000, seconds: 3, warmupSeconds: 1 },
      }
    : {
        quick,
        roundTrip: { visitors: 1000, seconds: 20, rate: 1 },
        idleSockets: 5000,
        broadcastSizes: [1000, 5000],
        broadcastTrials: 10,
        fanOutWatchers: [10, 100],
        fanOutTrials: 20,
        saturation: { sockets: 5000, seconds: 8, warmupSeconds: 2 },
      };
}
