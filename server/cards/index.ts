export { CardSettingsService } from './settings.js';
