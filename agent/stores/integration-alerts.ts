import { atom } from 'nanostores';
import type { IntegrationHealth } from '../../protocol/index.js';

export interface IntegrationAlert {
  projectId: string;
  health: IntegrationHealth;
}

/**
 * Projects whose API integration turned failing (or paused) while this admin's console was open,
 * newest first, until it recovers or the admin dismisses it.
 */
export const $integrationAlerts = atom<IntegrationAlert[]>([]);

/** A health change heard on the admins' socket. */
export function noteIntegrationHealth(projectId: string, health: IntegrationHealth): void {
  const others = $integrationAlerts.get().filter((a) => a.projectId !== projectId);
  const unhealthy = health.status === 'failing' || health.pausedUntil !== null;
  $integrationAlerts.set(unhealthy ? [{ projectId, health }, ...others] : others);
}

export function dismissIntegrationAlert(projectId: string): void {
  $integrationAlerts.set($integrationAlerts.get().filter((a) => a.projectId !== projectId));
}

export function resetIntegrationAlerts(): void {
  $integrationAlerts.set([]);
}
