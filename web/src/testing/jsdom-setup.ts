// jsdom lacks what the web app's code takes from the browser and Node has: the encoders zod uses.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
