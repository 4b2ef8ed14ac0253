/** File name of the built panel chunk, injected by vite.config.ts into the loader build. */
declare const __PALAVER_PANEL_FILE__: string;
