import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateWalletFile } from './paper-wallet';
import { createVenueClients } from './venue-clients';
import { loadVenuesConfig } from './venues.config';

describe('the paper wallet file', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'atc-wallet-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('is made once, mode 0600, and every later load is the same wallet', () => {
    const file = path.join(home, 'state', 'paper-wallet.json');
    const first = loadOrCreateWalletFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(64);
    const again = Array.from({ length: 5 }, () => loadOrCreateWalletFile(file).publicKey.toBase58());
    expect(new Set(again)).toEqual(new Set([first.publicKey.toBase58()]));
  });

  it('is what every process in paper mode signs with: the default lives in ATC_HOME', () => {
    const wallets = Array.from({ length: 3 }, () => {
      const clients = createVenueClients({ config: loadVenuesConfig({ ATC_HOME: home }) });
      clients.shutdown();
      return clients.wallet.publicKey.toBase58();
    });
    expect(new Set(wallets).size).toBe(1);
    expect(loadOrCreateWalletFile(path.join(home, 'paper-wallet.json')).publicKey.toBase58()).toBe(
      wallets[0],
    );
  });

  it('refuses a file that is not a keypair, without echoing it', () => {
    const file = path.join(home, 'bad.json');
    writeFileSync(file, 'secret-looking-text', { mode: 0o600 });
    expect(() => loadOrCreateWalletFile(file)).toThrow(/is not a Solana keypair/);
    expect(() => loadOrCreateWalletFile(file)).not.toThrow(/secret-looking-text/);
  });
});
