import { describeCoordinationContract } from './coordination.contract.js';
import { LocalCoordination } from './coordination.js';

describeCoordinationContract('Local', () => {
  const coordination = new LocalCoordination();
  return Promise.resolve([coordination, coordination]);
});
