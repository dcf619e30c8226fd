// Batch limits shared by the server and the clients' links (imported by the mini-program: constants only).

/** Calls per batched HTTP request; the server refuses larger batches. */
export const maxBatchSize = 20;
/** Longest URL a client link builds for a batched GET; longer batches are split. */
export const maxBatchUrlLength = 6_000;
