export { runDashboard } from './main';
export type { ApiServices, Authenticator } from './api/api-route';
