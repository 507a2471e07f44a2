/**
 * Authentication of the operator API: the Authenticator the HTTP stack calls, and its settings.
 * @module
 */
export { createAuthenticator, type AuthenticatorOptions } from './api-authenticator';
export {
  authSettingsOf,
  type AuthSettings,
  type DashboardAuthConfig,
  type JwtSettings,
} from './auth-settings';
