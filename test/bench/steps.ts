// The bench steps run.ts runs, in order: each module exports `step` (types.ts).
import type { BenchStep } from './types.ts';
import { step as wire } from './wire.ts';

export const STEPS: BenchStep[] = [wire];
