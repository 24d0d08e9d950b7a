// Every bench step run.ts runs, in order (one import and one entry per step module).
import { step as pushPostgres } from './push-postgres.ts';
import type { BenchStep } from './types.ts';

export const STEPS: BenchStep[] = [pushPostgres];
