/** What <button open-type="getPhoneNumber"> hands to bindgetphonenumber. */
export interface PhoneNumberDetail {
  code?: string;
  errMsg?: string;
}

/**
 * The one-time code to send to account.bindPhone, or null when there is nothing to send: the user refused
 * ("getPhoneNumber:fail user deny"), the call failed, or no code came.
 */
export function phoneCodeOf(detail: PhoneNumberDetail | null | undefined): string | null {
  if (!detail || typeof detail.code !== 'string' || detail.code === '') return null;
  if (/deny|fail/i.test(detail.errMsg ?? '')) return null;
  return detail.code;
}
