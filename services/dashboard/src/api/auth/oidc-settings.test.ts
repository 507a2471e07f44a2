import { silentLogger } from '@atc/platform';
import { createOidcProvider } from './oidc-provider.client';
import { oidcSettingsOf } from './oidc-settings';

const jwt = {
  keys: { jwksUrl: 'https://idp.example/realms/atc/protocol/openid-connect/certs' },
  issuer: 'https://idp.example/realms/atc',
  audience: 'atc-api',
  roleClaim: 'atc_role',
};
const config = {
  AUTH_OIDC_CLIENT_ID: 'atc-web',
  AUTH_OIDC_SCOPE: 'openid profile',
  AUTH_OIDC_TOKEN: 'access_token' as const,
  AUTH_OIDC_TIMEOUT_MS: 5_000,
};

describe('the OpenID Connect sign-in settings', () => {
  it('is off without a client id, and takes the JWT issuer unless told another', () => {
    expect(oidcSettingsOf({ ...config, AUTH_OIDC_CLIENT_ID: undefined }, jwt)).toBeUndefined();
    expect(oidcSettingsOf(config, jwt)).toEqual({
      issuer: 'https://idp.example/realms/atc',
      clientId: 'atc-web',
      scope: 'openid profile',
      token: 'access_token',
      timeoutMs: 5_000,
    });
    expect(oidcSettingsOf({ ...config, AUTH_OIDC_ISSUER: 'https://login.example/' }, jwt)?.issuer).toBe(
      'https://login.example/',
    );
  });

  it('refuses a client id without JWT on, or without an issuer URL, naming the key', () => {
    expect(() => oidcSettingsOf(config, undefined)).toThrow(/AUTH_OIDC_CLIENT_ID: needs JWT on/);
    expect(() => oidcSettingsOf(config, { ...jwt, issuer: 'atc-issuer' })).toThrow(
      /AUTH_OIDC_ISSUER: is required/,
    );
  });
});

describe('the provider discovery', () => {
  const settings = oidcSettingsOf(config, jwt)!;
  const answer = (body: unknown) =>
    jest.fn(() => Promise.resolve(new Response(JSON.stringify(body), { status: 200 })));
  const document = {
    issuer: settings.issuer,
    authorization_endpoint: `${settings.issuer}/protocol/openid-connect/auth`,
    token_endpoint: `${settings.issuer}/protocol/openid-connect/token`,
  };
  const verify = () => Promise.resolve({ ok: false as const, reason: 'invalid_token' as const });

  it('reads <issuer>/.well-known/openid-configuration once', async () => {
    const fetch = answer(document);
    const provider = createOidcProvider({ settings, verify, logger: silentLogger(), fetch });
    expect(await provider.signIn()).toMatchObject({ authorizationEndpoint: document.authorization_endpoint });
    await provider.signIn();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]).toEqual([
      'https://idp.example/realms/atc/.well-known/openid-configuration',
      expect.anything(),
    ]);
  });

  it.each([
    ['names another issuer', { ...document, issuer: 'https://evil.example' }],
    ['offers no S256', { ...document, code_challenge_methods_supported: ['plain'] }],
    ['lacks the token endpoint', { ...document, token_endpoint: undefined }],
  ])('offers no provider when the document %s, and reads it again next time', async (_case, body) => {
    const fetch = answer(body);
    const provider = createOidcProvider({ settings, verify, logger: silentLogger(), fetch });
    expect(await provider.signIn()).toBeNull();
    expect(await provider.signIn()).toBeNull();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
