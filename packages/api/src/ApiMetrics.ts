/** What the procedures report for operations (the server implements it with prom-client). */
export interface ApiMetrics {
  /** A procedure call finished, with its tRPC code ('OK' on success). */
  procedureCall(path: string, code: string, seconds: number): void;
  /** Sessions opened by logins. */
  sessionsCreated(count: number): void;
  /** Sessions ended: by logout, by expiry, or by the per-user cap. */
  sessionsEnded(reason: 'logout' | 'expired' | 'cap', count: number): void;
  /** A per-user limit refused an action: its bucket ('bind-phone', 'avatar-upload'). */
  rateLimited(bucket: string): void;
}

export const noMetrics: ApiMetrics = { procedureCall() {}, sessionsCreated() {}, sessionsEnded() {}, rateLimited() {} };
