import type { LoginRequest } from '../../protocol/index.js';
import { authRoutes } from '../../protocol/routes/index.js';
import { call } from './call.js';

export const login = (body: LoginRequest) => call(authRoutes.login, { body }, { anonymous: true });

export const fetchMe = () => call(authRoutes.me, {}, { anonymous: true });

export const logout = () => call(authRoutes.logout, {}, { anonymous: true });
