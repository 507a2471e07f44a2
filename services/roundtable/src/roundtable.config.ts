import os from 'node:os';
import { integer } from '@atc/platform';
import { z } from 'zod';
import { llmVoiceEnvironment } from './voices/llm-voice.config';

/** The roundtable worker's own keys; the database, logging and admin keys are added by bootRole. */
export const roundtableEnvironment = {
  WORKER_ID: z.string().min(1).max(120).default(`${os.hostname()}-${process.pid}`),
  ROUNDTABLE_CONCURRENCY: integer(1, 64).default(2),
  WORKER_POLL_INTERVAL_MS: integer(50, 60_000).default(1_000),
  STEP_LEASE_MS: integer(1_000, 600_000).default(30_000),
  STEP_LEASE_RENEW_INTERVAL_MS: integer(100, 300_000).default(10_000),
  // The LLM voices' keys (voices/create-voice.ts): without ANTHROPIC_API_KEY, rule-based voices.
  ...llmVoiceEnvironment,
} as const;
