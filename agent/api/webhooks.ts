import type { CreateWebhookRequest, UpdateWebhookRequest } from '../../protocol/index.js';
import { webhookRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const fetchWebhooks = (projectId: string) =>
  call(webhookRoutes.listWebhooks, { params: { id: projectId } });

export const createWebhook = (projectId: string, body: CreateWebhookRequest) =>
  call(webhookRoutes.createWebhook, { params: { id: projectId }, body });

export const updateWebhook = (projectId: string, webhookId: string, body: UpdateWebhookRequest) =>
  call(webhookRoutes.updateWebhook, { params: { id: projectId, webhookId }, body });

export const deleteWebhook = (projectId: string, webhookId: string) =>
  call(webhookRoutes.deleteWebhook, { params: { id: projectId, webhookId } });

export const fetchDeliveries = (projectId: string, webhookId: string) =>
  call(webhookRoutes.listWebhookDeliveries, { params: { id: projectId, webhookId } });

export const redeliver = (projectId: string, webhookId: string, deliveryId: string) =>
  call(webhookRoutes.redeliverWebhook, { params: { id: projectId, webhookId, deliveryId } });

export const sendTest = (projectId: string, webhookId: string) =>
  call(webhookRoutes.testWebhook, { params: { id: projectId, webhookId } });
