// jsdom lacks TextEncoder/TextDecoder, which react-router uses at load; Node's are the same API.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
