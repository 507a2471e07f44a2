/**
 * The building blocks every atc dashboard shares: the `datasource`, `namespace` and `service`
 * template variables, Prometheus queries bound to the chosen data source, and time series and stat
 * panels with their unit, thresholds and value mappings. Panel ids and query refIds are assigned by
 * the generator (dashboards-generate.ts), so a dashboard file only says what it shows.
 * @module
 */
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DatasourceVariableBuilder,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphDrawStyle,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel and variable queries the Prometheus the viewer picked in `$datasource`. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** Label matchers for series of one deployment (Kubernetes adds `namespace`; locally it is absent and `.*` matches). */
export const IN_NAMESPACE = 'namespace=~"$namespace"';
/** Label matchers for series of the chosen roles of one deployment. */
export const IN_SERVICE = 'namespace=~"$namespace", service=~"$service"';

/**
 * Database-derived series (served by every dashboard replica with the same values) reduced to one per
 * deployment, as the alert rules do: `max without (instance, pod) (metric{namespace=~"$namespace", …})`.
 */
export function fromDatabase(metric: string, matchers = ''): string {
  const all = matchers ? `${IN_NAMESPACE}, ${matchers}` : IN_NAMESPACE;
  return `max without (instance, pod) (${metric}{${all}})`;
}

/** Grafana units used here (https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/). */
export const UNIT = {
  seconds: 's',
  bytes: 'bytes',
  usd: 'currencyUSD',
  ratio: 'percentunit',
  perSecond: 'reqps',
  opsPerSecond: 'ops',
  count: 'short',
  none: 'none',
} as const;

export type Unit = (typeof UNIT)[keyof typeof UNIT];

/** One threshold step: from `value` up (null: from minus infinity), drawn in `color`. */
export type Step = readonly [color: string, value: number | null];

const OK: Step = ['green', null];

/** Green below `value`, red from it: the line an alert fires at. */
export function alertAt(value: number): Step[] {
  return [OK, ['red', value]];
}

function thresholds(steps: readonly Step[]) {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps.map(([color, value]) => ({ color, value })));
}

/** Shows each listed value as text in a color (for 0/1 flags and breaker states). */
export function valueMapping(map: Record<number, { text: string; color: string }>): ValueMapping[] {
  const options = Object.fromEntries(
    Object.entries(map).map(([value, result], index) => [value, { ...result, index }]),
  );
  return [{ type: MappingType.ValueToText, options }];
}

export const ENGAGED = valueMapping({
  0: { text: 'off', color: 'green' },
  1: { text: 'ENGAGED', color: 'red' },
});

export const READY = valueMapping({
  0: { text: 'NOT READY', color: 'red' },
  1: { text: 'ready', color: 'green' },
});

export const BREAKER = valueMapping({
  0: { text: 'closed', color: 'green' },
  1: { text: 'half-open', color: 'orange' },
  2: { text: 'OPEN', color: 'red' },
});

/** A PromQL query, with its legend (`{{label}}` placeholders), on `$datasource`. */
export interface Query {
  readonly expr: string;
  readonly legend?: string;
}

function target(q: Query, instant: boolean): DataqueryBuilder {
  const builder = new DataqueryBuilder().datasource(DATASOURCE).expr(q.expr);
  if (q.legend !== undefined) builder.legendFormat(q.legend);
  return instant ? builder.instant() : builder.range();
}

interface PanelOptions {
  readonly title: string;
  readonly description: string;
  readonly unit: Unit;
  readonly queries: readonly Query[];
  /** Where the alert on this quantity fires, drawn as a dashed line (time series) or color (stat). */
  readonly thresholds?: readonly Step[];
  readonly width?: number;
  readonly height?: number;
}

export interface TimeSeriesOptions extends PanelOptions {
  readonly stack?: boolean;
  readonly bars?: boolean;
  /** The axis minimum; 0 unless given, `'auto'` for quantities that go negative. */
  readonly min?: number | 'auto';
  readonly max?: number;
}

export function timeSeriesPanel(o: TimeSeriesOptions): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .unit(o.unit)
    .span(o.width ?? 12)
    .height(o.height ?? 8)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .calcs([]),
    )
    .thresholds(thresholds(o.thresholds ?? [OK]))
    .thresholdsStyle(
      new GraphThresholdsStyleConfigBuilder().mode(
        o.thresholds ? GraphThresholdsStyleMode.Dashed : GraphThresholdsStyleMode.Off,
      ),
    )
    .targets(o.queries.map((q) => target(q, false)));
  if (o.min !== 'auto') panel.min(o.min ?? 0);
  if (o.max !== undefined) panel.max(o.max);
  if (o.stack) panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  if (o.bars) panel.drawStyle(GraphDrawStyle.Bars).fillOpacity(60);
  return panel;
}

export interface StatOptions extends PanelOptions {
  readonly mappings?: ValueMapping[];
}

/** The latest value of each series, big, colored by thresholds or mappings. */
export function statPanel(o: StatOptions): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .unit(o.unit)
    .span(o.width ?? 6)
    .height(o.height ?? 5)
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .textMode(BigValueTextMode.ValueAndName)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(thresholds(o.thresholds ?? [OK]))
    .targets(o.queries.map((q) => target(q, true)));
  if (o.mappings) panel.mappings(o.mappings);
  return panel;
}

export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}

const ALL = '.*';

function labelValuesVariable(name: string, label: string, query: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .includeAll(true)
    .allValue(ALL)
    .current({ selected: true, text: 'All', value: '$__all' });
}

export interface DashboardOptions {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** Adds the `service` variable (roles), for dashboards of per-process series. */
  readonly byService?: boolean;
}

/**
 * A dashboard with the shared settings: fixed uid and version (the output is deterministic), the
 * `datasource` variable, `namespace` (Kubernetes) and optionally `service`; last 6 hours; 30 s refresh.
 */
export function atcDashboard(o: DashboardOptions): DashboardBuilder {
  const builder = new DashboardBuilder(o.title)
    .uid(o.uid)
    .version(1)
    .description(o.description)
    .tags(['atc', ...o.tags])
    .editable()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .annotation(
      new AnnotationQueryBuilder()
        .name('Annotations & Alerts')
        .builtIn(1)
        .type('dashboard')
        .datasource({ type: 'grafana', uid: '-- Grafana --' })
        .enable(true)
        .hide(true)
        .iconColor('rgba(0, 211, 255, 1)'),
    )
    .annotation(
      // Every atc alert that fired, marked on every time series: the SRE sees the alert beside its cause.
      new AnnotationQueryBuilder()
        .name('atc alerts firing')
        .datasource(DATASOURCE)
        .enable(true)
        .iconColor('red')
        .expr(`ALERTS{alertname=~"Atc.*", alertstate="firing", ${IN_NAMESPACE}}`)
        .step('60s')
        .titleFormat('{{alertname}}')
        .textFormat('{{severity}}: {{alertname}} {{market}} {{venue}} {{service}}')
        .tagKeys('alertname,severity'),
    )
    .withVariable(
      new DatasourceVariableBuilder('datasource')
        .label('Data source')
        .type('prometheus')
        .current({ selected: true, text: 'Prometheus', value: 'prometheus' }),
    )
    .withVariable(labelValuesVariable('namespace', 'Namespace', 'label_values(atc_build_info, namespace)'));
  if (o.byService) {
    builder.withVariable(
      labelValuesVariable('service', 'Role', `label_values(atc_build_info{${IN_NAMESPACE}}, service)`).multi(
        true,
      ),
    );
  }
  return builder;
}
