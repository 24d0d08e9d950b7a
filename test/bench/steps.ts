// Every bench step, in the order the table prints them. A step is a module exporting
// `step: BenchStep` (./types.ts); add one import and one entry here to put it in the bench.
import { step as browser } from './browser-latency.ts';
import { step as weight } from './client-weight.ts';
import { step as lighthouse } from './lighthouse.ts';
import { step as summary } from './summary.ts';
import { step as push } from './sync-throughput.ts';
import type { BenchStep } from './types.ts';

export const STEPS: BenchStep[] = [weight, lighthouse, browser, push, summary];
