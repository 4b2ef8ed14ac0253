import type { RotateSigningSecretRequest } from '../../protocol/index.js';
import { adminRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const fetchSigningSecrets = (projectId: string) =>
  call(adminRoutes.getSigningSecrets, { params: { id: projectId } });

/** The only call that answers with a signing secret's value. */
export const rotateSigningSecret = (projectId: string, body: RotateSigningSecretRequest) =>
  call(adminRoutes.rotateSigningSecret, { params: { id: projectId }, body });
