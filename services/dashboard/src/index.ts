export { runDashboard } from './main';
