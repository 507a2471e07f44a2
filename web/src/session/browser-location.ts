/**
 * Leaving the app for the identity provider's page: one seam, so component tests (jsdom cannot
 * navigate away) can see where the app would go.
 * @module
 */
const browserLocation = {
  /** The app's origin, the base of the redirect URI registered at the provider. */
  origin: (): string => window.location.origin,
  assign: (url: string): void => window.location.assign(url),
};

export { browserLocation };
