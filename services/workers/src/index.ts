export { runWorker, VENUES_OF_MARKET } from './main';
