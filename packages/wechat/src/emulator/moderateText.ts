/**
 * The emulator's content rules for msg_sec_check: text containing a risky marker is 'risky' (label 20006,
 * crime), one containing a review marker 'review' (label 21000, other), anything else 'pass' (label 100).
 */
export const moderationMarkers = { risky: ['违禁', 'forbidden-word'], review: ['待审', 'review-word'] } as const;

export function moderateText(content: string): { suggest: 'pass' | 'review' | 'risky'; label: number } {
  if (moderationMarkers.risky.some((marker) => content.includes(marker))) return { suggest: 'risky', label: 20006 };
  if (moderationMarkers.review.some((marker) => content.includes(marker))) return { suggest: 'review', label: 21000 };
  return { suggest: 'pass', label: 100 };
}
