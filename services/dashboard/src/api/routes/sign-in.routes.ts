/**
 * Routes: how to sign in to the web app (docs/api/auth.md, "Signing in to the web app"). Both are public:
 * a browser asks them before it holds any credential.
 * @module
 */
import { AuthMethods, OidcTokenRequest, OidcTokenResponse } from '@atc/contracts';
import { NotFoundError } from '@atc/platform';
import { defineRoute, ok } from '../api-route';

export const authMethodsRoute = defineRoute({
  method: 'GET',
  path: '/api/auth/methods',
  access: 'public',
  summary:
    "How to sign in: an API key, a pasted JWT when JWT is on, and the OpenID Connect provider's sign-in when configured",
  tag: 'auth',
  response: AuthMethods,
  async handle(_input, context) {
    const signIn = context.services.signIn;
    const oidc = signIn?.oidc ? await signIn.oidc.signIn() : null;
    // Read per request (the provider may come back); a browser keeps no copy of a failed discovery.
    return ok({ apiKey: true as const, jwt: signIn?.jwt ?? false, oidc }, { 'Cache-Control': 'no-store' });
  },
});

export const oidcTokenRoute = defineRoute({
  method: 'POST',
  path: '/api/auth/oidc/token',
  access: 'public',
  summary:
    "Exchange the provider's authorization code and PKCE verifier for its token, verified as this API's bearer (with its role)",
  tag: 'auth',
  body: OidcTokenRequest,
  response: OidcTokenResponse,
  async handle({ body }, context) {
    const oidc = context.services.signIn?.oidc;
    if (!oidc) throw new NotFoundError('sign-in with an OpenID Connect provider is not configured here');
    return ok(await oidc.exchangeCode(body), { 'Cache-Control': 'no-store' });
  },
});

export const signInRoutes = [authMethodsRoute, oidcTokenRoute] as const;
