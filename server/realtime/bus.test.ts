import { describeBusContract } from './bus.contract.js';
import { InProcessBus } from './bus.js';

describeBusContract('In-process', () => {
  const bus = new InProcessBus();
  return { publisher: bus, subscriber: bus };
});
