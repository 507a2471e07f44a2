import { CANARY_TAG, madeSecret, scanText, textCanary, walletCanary } from './canaries';

describe('redaction canaries', () => {
  const token = textCanary('HEARTBEAT_TOKEN');
  const wallet = walletCanary('SOLANA_WALLET_SECRET');
  const canaries = [token, wallet, madeSecret('API key', 'atc_abcdefghijklmnopqrstuvwxyz012345')];

  it('are long enough for the settings that require 32 characters, and differ', () => {
    expect(token.value.length).toBeGreaterThanOrEqual(32);
    expect(token.value.startsWith(CANARY_TAG)).toBe(true);
    expect(textCanary('HEARTBEAT_TOKEN').value).not.toBe(token.value);
  });

  it('finds a canary whole, by its prefix or tail, and names it; the context masks it', () => {
    expect(scanText(`{"msg":"x","token":"${token.value}"}`, 'log', canaries)).toEqual([
      {
        canary: 'HEARTBEAT_TOKEN',
        where: 'log',
        context: `{"msg":"x","token":"<${token.value.length} chars>"}`,
      },
    ]);
    expect(scanText(`…${token.value.slice(-20)}`, 'row', canaries)).toMatchObject([
      { canary: 'HEARTBEAT_TOKEN' },
    ]);
    expect(scanText(`Bearer ${token.value.slice(0, 36)}…`, 'row', canaries)).toMatchObject([
      { canary: 'HEARTBEAT_TOKEN' },
    ]);
    expect(
      scanText(`key=…${'atc_abcdefghijklmnopqrstuvwxyz012345'.slice(-16)}`, 'api', canaries),
    ).toMatchObject([{ canary: 'API key' }]);
  });

  it('finds the wallet secret as base58, its seed as hex, its bytes as a JSON array', () => {
    expect(scanText(wallet.value, 'log', canaries)).toMatchObject([{ canary: 'SOLANA_WALLET_SECRET' }]);
    for (const needle of wallet.needles.slice(2))
      expect(scanText(`x ${needle} y`, 'log', canaries)).toMatchObject([{ canary: 'SOLANA_WALLET_SECRET' }]);
    // The public key is no secret: it is logged on purpose.
    expect(scanText(`wallet ${wallet.publicKey}`, 'log', canaries)).toEqual([]);
  });

  it('reports a bare fragment with the run tag as an unnamed canary; clean text has none', () => {
    expect(scanText(`half: ${CANARY_TAG}-he`, 'log', canaries)).toMatchObject([
      { canary: '(unnamed canary fragment)' },
    ]);
    expect(scanText('{"level":30,"msg":"heartbeat run finished"}', 'log', canaries)).toEqual([]);
  });
});
