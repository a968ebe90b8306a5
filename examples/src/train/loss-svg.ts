/** One point of a loss curve. */
export interface CurvePoint {
  readonly step: number;
  readonly loss: number;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/**
 * A self-contained SVG line chart of the training loss (line) and the evaluation loss (dots) against
 * the step, with labelled axes: `loss.svg` in the output directory.
 */
export const lossSvg = (
  title: string,
  train: readonly CurvePoint[],
  evals: readonly CurvePoint[],
): string => {
  const W = 720;
  const H = 420;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const all = [...train, ...evals].filter((p) => Number.isFinite(p.loss));
  const maxStep = Math.max(1, ...all.map((p) => p.step));
  const lo = Math.min(...all.map((p) => p.loss), Number.POSITIVE_INFINITY);
  const hi = Math.max(...all.map((p) => p.loss), Number.NEGATIVE_INFINITY);
  const [yMin, yMax] = Number.isFinite(lo)
    ? [Math.floor(lo), Math.ceil(hi) === Math.floor(lo) ? Math.floor(lo) + 1 : Math.ceil(hi)]
    : [0, 1];
  const x = (s: number) => m.l + ((W - m.l - m.r) * s) / maxStep;
  const y = (v: number) => H - m.b - ((H - m.t - m.b) * (v - yMin)) / (yMax - yMin);
  const path = train
    .filter((p) => Number.isFinite(p.loss))
    .map((p, i) => `${i ? "L" : "M"}${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`)
    .join(" ");
  // at most ~8 labelled ticks, however wide the range (a diverged run's losses reach 1e17)
  const tickStep = Math.max(1, Math.ceil((yMax - yMin) / 8));
  const yTicks = Array.from(
    { length: Math.floor((yMax - yMin) / tickStep) + 1 },
    (_, i) => yMin + i * tickStep,
  );
  const xTicks = Array.from({ length: 6 }, (_, i) => Math.round((maxStep * i) / 5));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>
${yTicks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/><text x="${m.l - 8}" y="${y(t) + 4}" text-anchor="end">${t}</text>`).join("\n")}
${xTicks.map((t) => `<text x="${x(t)}" y="${H - m.b + 18}" text-anchor="middle">${t}</text>`).join("\n")}
<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/><line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">step</text>
<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">loss (nats/token)</text>
<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>
${evals
  .filter((p) => Number.isFinite(p.loss))
  .map((p) => `<circle cx="${x(p.step).toFixed(1)}" cy="${y(p.loss).toFixed(1)}" r="4" fill="#d62728"/>`)
  .join("\n")}
<rect x="${W - m.r - 170}" y="${m.t}" width="160" height="44" fill="white" stroke="#ccc"/>
<line x1="${W - m.r - 160}" x2="${W - m.r - 135}" y1="${m.t + 15}" y2="${m.t + 15}" stroke="#1f77b4" stroke-width="2"/><text x="${W - m.r - 128}" y="${m.t + 19}">training loss</text>
<circle cx="${W - m.r - 148}" cy="${m.t + 33}" r="4" fill="#d62728"/><text x="${W - m.r - 128}" y="${m.t + 37}">validation loss</text>
</svg>
`;
};
