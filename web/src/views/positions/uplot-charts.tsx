/**
 * The positions view's charts, drawn by uPlot (chosen over lightweight-charts for its size: see
 * web/README.md). This module is loaded lazily, so uPlot's code arrives only with the charts.
 * Canvas colours cannot read CSS variables: they are taken from the page's computed style, so the
 * charts follow the dark or light theme.
 * @module
 */
import { useCallback, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PnlChartModel, PriceChartModel } from './chart-models';

const HEIGHT = 220;

function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function axes(): uPlot.Axis[] {
  const stroke = themeColor('--muted', '#5c6370');
  const grid = { stroke: themeColor('--border', '#d8dbe0'), width: 1 };
  return [
    { stroke, grid, ticks: grid },
    { stroke, grid, ticks: grid, size: 64 },
  ];
}

/** A uPlot instance in a div, as wide as the div, rebuilt when its options or data change. */
function useUPlot(build: (width: number) => { options: uPlot.Options; data: uPlot.AlignedData }) {
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

const points = (fill: string): uPlot.Series.Points => ({ show: true, size: 10, fill, stroke: fill });

function PriceChart({ model, title }: { readonly model: PriceChartModel; readonly title: string }) {
  const build = useCallback(
    (width: number) => {
      const good = themeColor('--good', '#1a7f37');
      const bad = themeColor('--bad', '#cf222e');
      const levelColor = { stop_loss: bad, take_profit: good };
      const options: uPlot.Options = {
        title,
        width,
        height: HEIGHT,
        axes: axes(),
        series: [
          {},
          { label: 'Price', stroke: themeColor('--accent', '#1f6feb'), width: 2, spanGaps: true },
          { label: 'Entries', stroke: good, paths: () => null, points: points(good) },
          { label: 'Exits', stroke: bad, paths: () => null, points: points(bad) },
          ...model.levels.map((level) => ({
            label: level.label,
            stroke: levelColor[level.kind],
            dash: [6, 4],
            points: { show: false },
          })),
        ],
      };
      const data: uPlot.AlignedData = [
        [...model.xs],
        [...model.price],
        [...model.entries],
        [...model.exits],
        ...model.levels.map((level) => model.xs.map(() => level.price)),
      ];
      return { options, data };
    },
    [model, title],
  );
  const container = useUPlot(build);
  return <div ref={container} aria-hidden="true" />;
}

function PnlChart({ model }: { readonly model: PnlChartModel }) {
  const build = useCallback(
    (width: number) => {
      const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
      const options: uPlot.Options = {
        width,
        height: HEIGHT,
        axes: axes(),
        series: [
          {},
          {
            label: 'Realised that day',
            stroke: themeColor('--muted', '#5c6370'),
            fill: themeColor('--border', '#d8dbe0'),
            ...(bars ? { paths: bars } : {}),
            points: { show: false },
          },
          { label: 'Running total', stroke: themeColor('--accent', '#1f6feb'), width: 2 },
        ],
      };
      return { options, data: [[...model.xs], [...model.daily], [...model.cumulative]] as uPlot.AlignedData };
    },
    [model],
  );
  const container = useUPlot(build);
  return <div ref={container} aria-hidden="true" />;
}

export { PnlChart, PriceChart };
