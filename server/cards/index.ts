export { CardService } from './service.js';
export { CardSettingsService } from './settings.js';
