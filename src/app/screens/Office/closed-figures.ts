// A closed period's figures beside what they are now (结账与迟报, and the 报送数 above the
// dashboard): one way of writing them for both. A rate's change is a difference of two rates,
// so it is told in 个百分点: 75.0% → 75.3% is "+0.3 个百分点", not "+0.3%" (which would read as
// 0.3 percent of 75%).

/** The key of the one rate among the closed figures (a ratio 0–1); the rest are counts. */
const RATE_KEY = 'successRate';

const oneDecimal = (x: number) => (Math.round(x * 10) / 10 || 0).toFixed(1);

/** A figure as shown: a rate as a percentage with one decimal, a count as it is. */
export function showFigure(key: string, n: number): string {
  return key === RATE_KEY ? `${oneDecimal(n * 100)}%` : String(n);
}

/** A change since 结账, signed: a rate's in 个百分点, a count's in its own unit; "—" for none. */
export function showChange(key: string, change: number): string {
  if (key === RATE_KEY) {
    const points = oneDecimal(change * 100);
    return Number(points) === 0 ? '—' : `${Number(points) > 0 ? '+' : ''}${points} 个百分点`;
  }
  return change === 0 ? '—' : `${change > 0 ? '+' : ''}${change}`;
}
