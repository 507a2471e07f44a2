// Values outside the schema, and values the templates refuse, stop `helm template` with a message
// that names the key; values.schema.json is closed at every level.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR, render, renderFailure, valuesOf } from './render';
import { at, ofKind } from './workloads';

const VENUE_GROUPS = ['jupiter', 'solana', 'tradier', 'nebula', 'projectx', 'anthropic'];

describe('values outside the schema fail helm template', () => {
  it('names a typo’d top-level key', () => {
    expect(renderFailure({ set: { dashbord: 'x' } })).toMatch(
      /at '': additional properties 'dashbord' not allowed/,
    );
  });

  it.each([
    ['dashboard.replica', /at '\/dashboard': additional properties 'replica' not allowed/],
    [
      'workers.crypto.pdb.maxUnavailabl',
      /at '\/workers\/crypto\/pdb': additional properties 'maxUnavailabl' not allowed/,
    ],
    [
      'secrets.database.value.DATABASE_URL',
      /at '\/secrets\/database': additional properties 'value' not allowed/,
    ],
    ['killSwitch.scaledown.enabled', /at '\/killSwitch': additional properties 'scaledown' not allowed/],
  ])('names a typo’d nested key (%s)', (key, message) => {
    expect(renderFailure({ set: { [key]: 'true' } })).toMatch(message);
  });

  it.each(['dashboard.replicas', 'workers.crypto.replicas', 'workers.roundtable.replicas'])(
    'names a replica count given as a string (%s)',
    (key) => {
      const path = key.replace(/\./g, '/');
      expect(renderFailure({ setString: { [key]: '2' } })).toContain(
        `at '/${path}': got string, want integer`,
      );
    },
  );

  it('names a trading mode other than paper or live', () => {
    expect(renderFailure({ set: { 'trading.mode': 'demo' } })).toContain(
      "at '/trading/mode': value must be one of 'paper', 'live'",
    );
  });
});

describe('live mode', () => {
  it('without the venue secrets fails and lists every missing one', () => {
    const message = renderFailure({ set: { 'trading.mode': 'live' } });
    expect(message).toContain('trading.mode=live needs every venue');
    for (const group of VENUE_GROUPS) expect(message).toContain(`secrets.${group}.existingSecret`);
  });

  it('with some venue secrets lists only the missing ones', () => {
    const message = renderFailure({
      set: {
        'trading.mode': 'live',
        ...Object.fromEntries(
          VENUE_GROUPS.slice(1).map((group) => [`secrets.${group}.existingSecret`, `atc-${group}`]),
        ),
      },
    });
    expect(message).toContain('secrets.jupiter.existingSecret');
    expect(message).not.toContain('secrets.solana.existingSecret');
  });

  it('renders with every venue secret, and without the simulator', () => {
    const objects = render({
      set: {
        'trading.mode': 'live',
        ...Object.fromEntries(
          VENUE_GROUPS.map((group) => [`secrets.${group}.existingSecret`, `prod-${group}`]),
        ),
      },
    });
    expect(ofKind(objects, 'Deployment').map((deployment) => deployment.metadata.name)).not.toContain(
      'atc-simulator',
    );
  });
});

describe('values.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as unknown;

  type Schema = Record<string, unknown>;
  const isSchema = (value: unknown): value is Schema => value !== null && typeof value === 'object';

  /** Value paths of object schemas that list properties but leave other keys open. */
  function openObjects(node: unknown, path: string): string[] {
    if (!isSchema(node)) return [];
    const open = node.properties !== undefined && node.additionalProperties !== false ? [path] : [];
    const children: [string, unknown][] = [
      ...Object.entries(isSchema(node.properties) ? node.properties : {}).map(
        ([key, sub]): [string, unknown] => [`${path}.${key}`, sub],
      ),
      ...Object.entries(isSchema(node.$defs) ? node.$defs : {}).map(([key, sub]): [string, unknown] => [
        `#${key}`,
        sub,
      ]),
      [`${path}.*`, node.additionalProperties],
      [`${path}[]`, node.items],
      ...['anyOf', 'oneOf', 'allOf'].flatMap((keyword) =>
        Array.isArray(node[keyword])
          ? (node[keyword] as unknown[]).map((sub): [string, unknown] => [path, sub])
          : [],
      ),
    ];
    return [...open, ...children.flatMap(([childPath, sub]) => openObjects(sub, childPath))];
  }

  it('finds an open object (the check can fail)', () => {
    const open = {
      type: 'object',
      properties: { a: { type: 'object', properties: { b: {} } } },
      additionalProperties: false,
    };
    expect(openObjects(open, '')).toEqual(['.a']);
  });

  it('closes every object that lists its properties (additionalProperties: false)', () => {
    expect(openObjects(schema, '')).toEqual([]);
  });

  it('describes exactly the keys of values.yaml, and the shared contract’s keys are among them', () => {
    const values = valuesOf();
    // `global` is Helm's own (passed to every chart), so a closed schema must allow it.
    const described = Object.keys(at(schema, 'properties') as object).filter((key) => key !== 'global');
    expect(described.sort()).toEqual(Object.keys(values).sort());
    for (const key of ['image', 'trading', 'dashboard', 'workers', 'heartbeat', 'simulator', 'migrations']) {
      expect(values).toHaveProperty(key);
    }
    for (const key of ['killSwitch', 'secrets', 'monitoring']) expect(values).toHaveProperty(key);
    // Each monitoring object needs an operator's CRDs or a Grafana sidecar: off unless asked for.
    const monitoring = at(values, 'monitoring') as Record<string, { enabled: unknown }>;
    expect(
      Object.fromEntries(Object.entries(monitoring).map(([name, switches]) => [name, switches.enabled])),
    ).toEqual({
      serviceMonitor: false,
      prometheusRule: false,
      grafanaDashboards: false,
    });
  });
});
