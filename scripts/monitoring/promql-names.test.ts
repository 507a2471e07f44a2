import { selectedMetrics } from './promql-names';
import { variableQueryPromql, withGrafanaVariablesReplaced } from './promql-sources';

describe('selectedMetrics', () => {
  it('names the metric of every selector, plain, in a range, in a subquery and behind offset or @', () => {
    const reading = selectedMetrics(
      'sum(rate(atc_a_total[5m] offset 1m)) / on() atc_b @ start() + max_over_time(atc_c[1h:1m])',
    );

    expect(reading.syntaxErrors).toEqual([]);
    expect(reading.metrics.map((m) => m.name)).toEqual(['atc_a_total', 'atc_b', 'atc_c']);
  });

  it('reads __name__ matchers and quoted names, exact and by regex, and ignores negative ones', () => {
    const reading = selectedMetrics(
      '{__name__="atc_exact", x="y"} + {"atc_quoted"} + {__name__=~"atc_re.*"} + {__name__!="atc_not", x="1"}',
    );

    expect(reading.metrics).toEqual([
      { name: 'atc_exact', match: 'exact' },
      { name: 'atc_quoted', match: 'exact' },
      { name: 'atc_re.*', match: 'regex' },
    ]);
  });

  it('does not take label names, grouping labels, function names or strings for metrics', () => {
    const reading = selectedMetrics(
      'histogram_quantile(0.99, sum by (le, market) (rate(atc_h_bucket{market="up"}[5m]))) and time() > vector(1)',
    );

    expect(reading.metrics.map((m) => m.name)).toEqual(['atc_h_bucket']);
  });

  it('reports where the grammar finds no expression', () => {
    expect(selectedMetrics('sum(rate(atc_a[5m])').syntaxErrors).toHaveLength(1);
  });
});

describe("Grafana's syntax around PromQL", () => {
  it('turns interval variables into durations and other variables into a regular expression', () => {
    expect(
      withGrafanaVariablesReplaced(
        'rate(x{ns=~"$namespace", s=~"${service}", f=~"${service:regex}", o=~"[[old]]"}[$__rate_interval]) + y[$__interval] + z[${__range}]',
      ),
    ).toBe('rate(x{ns=~".*", s=~".*", f=~".*", o=~".*"}[5m]) + y[1m] + z[1h]');
  });

  it('takes the PromQL out of label_values and query_result, and none out of label_names', () => {
    expect(variableQueryPromql('label_values(atc_build_info{a="1", b="2"}, service)')).toBe(
      'atc_build_info{a="1", b="2"}',
    );
    expect(variableQueryPromql('query_result(topk(3, atc_x))')).toBe('topk(3, atc_x)');
    expect(variableQueryPromql('label_values(service)')).toBeUndefined();
    expect(variableQueryPromql('label_names()')).toBeUndefined();
  });
});
