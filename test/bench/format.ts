// Figures as the bench table prints them.

export const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
export const count = (n: number): string => Math.round(n).toLocaleString('en');
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
