// jsdom lacks TextEncoder/TextDecoder, which react-router uses at load; Node's are the same API.
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { configure } from '@testing-library/dom';

Object.assign(globalThis, { TextEncoder, TextDecoder });

// jsdom's crypto has getRandomValues but no subtle (the sign-in's PKCE challenge hashes with it):
// Node's Web Crypto is the same API the browser offers.
if (globalThis.crypto.subtle === undefined) {
  Object.defineProperty(globalThis.crypto, 'subtle', { value: webcrypto.subtle, configurable: true });
}

// findBy*/waitFor give up after 1 s by default; on a loaded CI machine (two cores, PostgreSQL and
// Chromium suites beside this one) a lazy route's first render alone can take longer. They still
// resolve the moment the element appears: this bounds a wait, it never adds one. Set through
// @testing-library/dom: importing @testing-library/react here, before jest's globals exist, would
// turn off its cleanup after each test.
configure({ asyncUtilTimeout: 5000 });
