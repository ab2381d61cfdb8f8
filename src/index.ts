export { startServer, buildApp, type StartOptions, type RunningServer } from './server/app.js';
export { openStore } from './store/open-store.js';
export type { Store } from './store/store.js';
