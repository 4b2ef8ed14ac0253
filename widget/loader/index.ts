import type { WidgetEventName } from '../panel-contract.js';
import { checkIdentity, checkInitOptions } from './options.js';
import { writeStored } from './session.js';
import { createWidget, warn, type Widget } from './widget.js';

interface QueueStub {
  (...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  loaded?: boolean;
}

const EVENTS = ['ready', 'open', 'close', 'message', 'unread'];

const script = document.currentScript as HTMLScriptElement | null;
const apiOrigin = new URL(script?.src ?? location.href).origin;
const defaultProjectId = script?.dataset.project ?? null;

let widget: Widget | null = null;
/** Calls made while there is no widget (before `init`, or after `shutdown`), for the next init. */
let pending: unknown[][] = [];
/** `reset` before `init` (a site's logout page) forgets whoever was stored. */
let resetPending = false;

const report = <T>(
  command: string,
  { value, problems }: { value: T | null; problems: string[] },
) => {
  if (problems.length) warn(`${command}: ${problems.join('; ')}`);
  return value;
};

/** Only init, reset and shutdown are called without a widget: `api` keeps the others pending. */
const commands: Record<string, (w: Widget | null, a: unknown, b: unknown) => void> = {
  init(w, input) {
    const options = report('init', checkInitOptions(input, defaultProjectId));
    if (!options) return;
    if (!w) {
      if (resetPending) writeStored(options.projectId, null);
      widget = createWidget(apiOrigin, options);
      pending.splice(0).forEach((call) => api(...call));
    } else if (w.projectId === options.projectId) w.identify(options);
    else warn('shutdown first to switch project');
  },
  identify(w, input) {
    const identity = report('identify', checkIdentity(input));
    if (identity) w!.identify(identity);
  },
  reset(w) {
    if (w) w.reset();
    else resetPending = true;
  },
  open: (w) => w!.setOpen(true),
  close: (w) => w!.setOpen(false),
  on(w, event, listener) {
    if (EVENTS.includes(event as string) && typeof listener === 'function') {
      w!.on(event as WidgetEventName, listener as () => void);
    } else warn('"on" needs an event and a function');
  },
  shutdown(w) {
    w?.shutdown();
    widget = null;
    pending = [];
  },
};

/** The real `Palaver()`: never throws into the host page, whatever it passes. */
function api(name?: unknown, a?: unknown, b?: unknown): void {
  try {
    const command = commands[String(name)];
    if (!command) warn(`unknown command "${String(name)}"`);
    else if (widget || name === 'init' || name === 'reset' || name === 'shutdown')
      command(widget, a, b);
    else pending.push([name, a, b]);
  } catch (error) {
    console.error('[Palaver]', error);
  }
}

const existing = (window as unknown as { Palaver?: QueueStub }).Palaver;
// A second copy of the script (a common copy-paste slip) must not start a second widget.
if (!existing?.loaded) {
  const queue = Array.from(existing?.q ?? [], (call) => Array.from(call));
  const real: QueueStub = api;
  real.loaded = true;
  (window as unknown as { Palaver: QueueStub }).Palaver = real;
  if (defaultProjectId && !queue.some((call) => call[0] === 'init')) api('init', {});
  queue.forEach((call) => api(...call));
}
