/**
 * The positions view's charts and the Overview's equity curve, drawn by uPlot (chosen over lightweight-charts for its size: see
 * web/README.md). This module is loaded lazily, so uPlot's code arrives only with the charts.
 * Canvas colours cannot read CSS variables: they are taken from the page's computed style, so the
 * charts follow the dark or light theme.
 * @module
 */
import { useCallback, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EquityChartModel } from '../overview/equity-model';
import type { PnlChartModel, PriceChartModel } from './chart-models';
import {
  type ChartColors,
  type ChartConfig,
  equityChartConfig,
  HEIGHT,
  pnlChartConfig,
  priceChartConfig,
} from './uplot-config';

function themeColors(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    line: color('--accent', '#1f6feb'),
    good: color('--good', '#1a7f37'),
    bad: color('--bad', '#cf222e'),
    muted: color('--muted', '#5c6370'),
    border: color('--border', '#d8dbe0'),
  };
}

/** A uPlot instance in a div, as wide as the div, rebuilt when its configuration changes. */
function useUPlot(build: (width: number) => ChartConfig) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const { options, data } = build(element.clientWidth || 640);
    const chart = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [build]);
  return container;
}

function PriceChart({ model, title }: { readonly model: PriceChartModel; readonly title: string }) {
  const build = useCallback(
    (width: number) => priceChartConfig(model, { title, width, colors: themeColors() }),
    [model, title],
  );
  return <div ref={useUPlot(build)} aria-hidden="true" />;
}

function PnlChart({ model }: { readonly model: PnlChartModel }) {
  const build = useCallback(
    (width: number) => {
      const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
      return pnlChartConfig(model, { width, colors: themeColors(), ...(bars ? { bars } : {}) });
    },
    [model],
  );
  return <div ref={useUPlot(build)} aria-hidden="true" />;
}

/** The Overview's equity curve. */
function EquityChart({ model }: { readonly model: EquityChartModel }) {
  const build = useCallback(
    (width: number) => equityChartConfig(model, { width, colors: themeColors() }),
    [model],
  );
  return <div ref={useUPlot(build)} aria-hidden="true" />;
}

export { EquityChart, PnlChart, PriceChart };
