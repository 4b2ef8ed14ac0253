export { CardSettingsService, type ResolvedCard } from './settings.js';
