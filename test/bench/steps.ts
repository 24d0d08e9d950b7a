// Every bench step, in the order the table prints them. A step is a module exporting
// `step: BenchStep` (./types.ts); add one import and one entry here to put it in the bench.
import { step as browser } from './browser-latency.ts';
import { step as weight } from './client-weight.ts';
import { step as lighthouse } from './lighthouse.ts';
import { step as phone } from './phone-lists.ts';
import { step as pushPostgres } from './push-postgres.ts';
import { step as summary } from './summary.ts';
import { step as push } from './sync-throughput.ts';
import type { BenchStep } from './types.ts';
import { step as wire } from './wire.ts';

export const STEPS: BenchStep[] = [weight, lighthouse, browser, phone, wire, push, pushPostgres, summary];
