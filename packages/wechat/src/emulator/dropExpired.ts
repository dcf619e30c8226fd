/**
 * Drops the expired entries at the front of a map whose entries all live equally long, so insertion order is
 * expiry order: the sweep stops at the first live entry instead of visiting every live one on each call
 * (minting a code visited all of the last five minutes' codes, which made the emulator slower with every
 * login of a benchmark). An entry out of order (a clock set back) stays until its turn; lookups still
 * check expiry themselves.
 */
export function dropExpired<K, V extends { expiresAt: number }>(entries: Map<K, V>, now: number): void {
  for (const [key, entry] of entries) {
    if (entry.expiresAt > now) return;
    entries.delete(key);
  }
}
