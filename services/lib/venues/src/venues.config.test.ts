import path from 'node:path';
import { ConfigError } from '@atc/platform';
import { loadVenuesConfig } from './venues.config';

describe('loadVenuesConfig', () => {
  it('defaults to paper mode against the local simulator with placeholder credentials', () => {
    const config = loadVenuesConfig({});
    expect(config.TRADING_MODE).toBe('paper');
    for (const url of [
      config.JUPITER_BASE_URL,
      config.SOLANA_RPC_URL,
      config.TRADIER_BASE_URL,
      config.NEBULA_BASE_URL,
      config.PROJECTX_BASE_URL,
      config.ANTHROPIC_BASE_URL,
    ]) {
      expect(new URL(url).hostname).toBe('127.0.0.1');
    }
    expect(config.VENUE_TIMEOUT_MS).toBe(10_000);
    expect(config.VENUE_MAX_RETRIES).toBe(3);
    expect(config.BREAKER_FAILURE_THRESHOLD).toBe(3);
    expect(config.BREAKER_RESET_SECONDS).toBe(300);
  });

  it('refuses live mode with missing credentials, naming each one and no value', () => {
    const env = { TRADING_MODE: 'live', TRADIER_ACCESS_TOKEN: 'tok-secret-value' };
    let error: unknown;
    try {
      loadVenuesConfig(env, ['tradier', 'projectx']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PROJECTX_ACCOUNT_ID: is required when TRADING_MODE=live',
      'PROJECTX_API_KEY: is required when TRADING_MODE=live',
      'PROJECTX_USERNAME: is required when TRADING_MODE=live',
      'TRADIER_ACCOUNT_ID: is required when TRADING_MODE=live',
    ]);
    expect((error as Error).message).not.toContain('tok-secret-value');
  });

  it('starts live when the venues in use are fully configured, without placeholders', () => {
    const config = loadVenuesConfig(
      {
        TRADING_MODE: 'live',
        JUPITER_API_KEY: 'k',
        SOLANA_RPC_URL: 'https://rpc.example/abc',
        SOLANA_WALLET_SECRET: 's',
      },
      ['jupiter', 'solana'],
    );
    expect(config.TRADING_MODE).toBe('live');
    expect(config.TRADIER_ACCESS_TOKEN).toBeUndefined();
  });

  it('in paper mode without a secret, points every process at the one wallet file in ATC_HOME', () => {
    expect(loadVenuesConfig({ ATC_HOME: '/srv/atc-state' }).SOLANA_WALLET_FILE).toBe(
      '/srv/atc-state/paper-wallet.json',
    );
    expect(loadVenuesConfig({}).SOLANA_WALLET_FILE).toBe(path.resolve('.atc/paper-wallet.json'));
    expect(loadVenuesConfig({ SOLANA_WALLET_FILE: '/keys/w.json' }).SOLANA_WALLET_FILE).toBe('/keys/w.json');
    expect(loadVenuesConfig({ SOLANA_WALLET_SECRET: '[1]' }).SOLANA_WALLET_FILE).toBeUndefined();
    // Live mode still requires the secret itself.
    expect(() =>
      loadVenuesConfig(
        { TRADING_MODE: 'live', SOLANA_RPC_URL: 'https://rpc.example/k', SOLANA_WALLET_FILE: '/keys/w.json' },
        ['solana'],
      ),
    ).toThrow(/SOLANA_WALLET_SECRET: is required when TRADING_MODE=live/);
  });

  it('rejects a bad mode or a bad URL', () => {
    expect(() => loadVenuesConfig({ TRADING_MODE: 'yolo', TRADIER_BASE_URL: 'ftp://x' })).toThrow(
      /TRADIER_BASE_URL[\s\S]*TRADING_MODE/,
    );
  });
});
