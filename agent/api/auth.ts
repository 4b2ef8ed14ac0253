import { AuthSession, type LoginRequest } from '../../protocol/index.js';
import { request } from './request.js';

export const login = (body: LoginRequest) =>
  request('POST', '/api/auth/login', { body, schema: AuthSession, anonymous: true });

export const fetchMe = () =>
  request('GET', '/api/auth/me', { schema: AuthSession, anonymous: true });

export const logout = () => request<void>('POST', '/api/auth/logout', { anonymous: true });
