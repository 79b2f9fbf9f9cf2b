// Number formats and the cell colours the planner's map, table and legend share.

/** A distinct colour per cell: golden-angle hues, so cells numbered close together (neighbours in reading order) differ. */
export function cellColour(idx: number, alpha: number): string {
  const hue = (idx * 137.508 + 25) % 360;
  const light = 52 + (idx % 3) * 8;
  return `hsla(${hue.toFixed(1)}, 68%, ${light}%, ${alpha})`;
}

/** A deviation as a signed percentage: +3.2%. */
export const pct = (x: number): string => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
/** A count, rounded, with zh-CN grouping. */
export const int = (x: number): string => Math.round(x).toLocaleString('zh-CN');
/** Digits of a cell code shown: six, or more when six would repeat within the plan shown (a whole district's cells come
 * from many streets whose cell codes share their last six digits). Set by {@link useCodesOf} when a plan loads. */
let codeDigits = 6;

/** Makes {@link shortCode} unique over these codes: the fewest trailing digits (≥ 6) no two of them share. */
export function useCodesOf(codes: readonly string[]): void {
  const longest = codes.reduce((m, c) => Math.max(m, c.length), 6);
  for (let k = 6; k <= longest; k++) {
    if (new Set(codes.map((c) => c.slice(-k))).size === codes.length) {
      codeDigits = k;
      return;
    }
  }
  codeDigits = longest;
}

/** The short form of a cell code people read: its last six digits, more when the plan shown needs them to tell cells apart. */
export const shortCode = (code: string): string => code.slice(-codeDigits);

/** Households outside the window [lower, upper] (0 inside). */
export const excess = (households: number, lower: number, upper: number): number => Math.max(0, lower - households) + Math.max(0, households - upper);
