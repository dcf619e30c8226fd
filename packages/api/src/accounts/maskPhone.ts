/**
 * A phone number as it may appear on the wire: the first 3 and last 4 digits (`138****8000`); numbers
 * with fewer than 8 digits show only their last 2.
 */
export function maskPhone(digits: string): string {
  if (digits.length >= 8) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, digits.length - 2))}${digits.slice(-2)}`;
}
