/**
 * The simulator's own control surface under `/_sim`: the order journal, faults, the clock, the
 * raw price path (for determinism checks) and the Anthropic script (anthropic-script.ts).
 * @module
 */
import { Router } from 'express';
import { z } from 'zod';
import { safeJson } from '@atc/contracts';
import { scriptBodySchema } from './anthropic-script';
import { describeFaultRuleIssues, faultRuleSchema } from './fault-injection';
import { instrument } from './instruments';
import type { SimContext } from './sim-context';

/** `?after=N`: only the journal entries with a sequence above N. */
const journalAfter = z
  .string()
  .regex(/^\d{1,12}$/)
  .transform(Number);

const clockBody = z.object({ ticks: z.number().int().min(0).max(1_000_000) });

/** One rule or a list, held to the contracts' JSON limits first like every JSON input. */
const faultRulesBody = safeJson(z.union([faultRuleSchema, z.array(faultRuleSchema).max(100)]));

/** `/_sim/anthropic/script`: append scripted answers, list the ones left, drop them all. */
function anthropicScriptRoutes(router: Router, ctx: SimContext): void {
  router.get('/anthropic/script', (_req, res) => {
    res.json({ responses: ctx.anthropicScript.remaining() });
  });
  router.post('/anthropic/script', (req, res) => {
    const parsed = safeJson(scriptBodySchema).safeParse(req.body);
    if (!parsed.success) {
      const issues = describeFaultRuleIssues(parsed.error);
      res.status(400).json({
        error: { code: 'invalid_input', message: `invalid script: ${issues.join('; ')}`, details: issues },
      });
      return;
    }
    ctx.anthropicScript.load(parsed.data.responses);
    res.status(201).json({ responses: ctx.anthropicScript.remaining() });
  });
  router.delete('/anthropic/script', (_req, res) => {
    ctx.anthropicScript.clear();
    res.json({ responses: [] });
  });
}

export function controlRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get('/orders', (req, res) => {
    const after = journalAfter.safeParse(req.query.after ?? '0');
    if (!after.success) {
      res.status(400).json({
        error: { code: 'invalid_input', message: 'after: must be a whole number of at least 0 (a sequence)' },
      });
      return;
    }
    res.json({ orders: ctx.journal.after(after.data) });
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults: ctx.faults.list() });
  });
  router.post('/faults', (req, res) => {
    const body: unknown = req.body;
    const parsed = faultRulesBody.safeParse(body);
    if (!parsed.success) {
      const issues = describeFaultRuleIssues(parsed.error);
      res.status(400).json({
        error: {
          code: 'invalid_input',
          message: `invalid fault rule: ${issues.join('; ')}`,
          details: issues,
        },
      });
      return;
    }
    for (const rule of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) ctx.faults.add(rule);
    res.status(201).json({ faults: ctx.faults.list() });
  });
  router.delete('/faults', (_req, res) => {
    ctx.faults.clear();
    res.json({ faults: [] });
  });
  anthropicScriptRoutes(router, ctx);
  router.get('/clock', (_req, res) => {
    res.json({ tick: ctx.clock.tick, time: ctx.isoNow(), blockHeight: ctx.clock.blockHeight() });
  });
  router.post('/clock', (req, res) => {
    const parsed = clockBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'invalid_input', message: 'body must be {"ticks": n}' } });
      return;
    }
    ctx.clock.advance(parsed.data.ticks);
    res.json({ tick: ctx.clock.tick, time: ctx.isoNow(), blockHeight: ctx.clock.blockHeight() });
  });
  router.get('/prices/:symbol', (req, res) => {
    const symbol = req.params.symbol;
    const from = Number(req.query.from ?? 0);
    const to = Number(req.query.to ?? ctx.clock.tick);
    if (
      !instrument(symbol) ||
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 0 ||
      to < from ||
      to - from > 100_000
    ) {
      res.status(400).json({ error: { code: 'invalid_input', message: 'unknown symbol or bad from/to' } });
      return;
    }
    const prices = Array.from({ length: to - from + 1 }, (_, i) => ctx.market.quote(symbol, from + i).last);
    res.json({ symbol, from, to, prices });
  });
  return router;
}
