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
/** The short form of a cell code people read (its last six digits). */
export const shortCode = (code: string): string => code.slice(-6);
