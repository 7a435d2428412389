/**
 * The properties of `values` that are not undefined, for an options object under
 * `exactOptionalPropertyTypes`: `{ ...defined({ idleTimeout, maxFuture }) }` instead of one
 * `...(x === undefined ? {} : { x })` per property.
 */
export function defined<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
