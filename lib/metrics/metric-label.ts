const SAFE = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Makes a value fit to be a label: short identifier-like strings pass, anything else (a message, a URL,
 * something that might carry a token or an address) becomes "other", so cardinality stays bounded and no
 * secret can reach a scrape.
 */
export function metricLabel(value: string | null | undefined, whenMissing = "none"): string {
  if (value === null || value === undefined || value === "") return whenMissing;
  return SAFE.test(value) ? value : "other";
}
