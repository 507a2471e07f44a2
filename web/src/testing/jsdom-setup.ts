// jsdom lacks TextEncoder/TextDecoder, which react-router uses at load; Node's are the same API.
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });

// jsdom's crypto has getRandomValues but no subtle (the sign-in's PKCE challenge hashes with it):
// Node's Web Crypto is the same API the browser offers.
if (globalThis.crypto.subtle === undefined) {
  Object.defineProperty(globalThis.crypto, 'subtle', { value: webcrypto.subtle, configurable: true });
}
