/** Splits rows into runs of `size`; bulk statements use it to stay well under PostgreSQL's 65,535 parameters. */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += size) out.push(rows.slice(start, start + size));
  return out;
}
