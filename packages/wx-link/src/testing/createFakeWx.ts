// A stand-in for the mini-program's `wx` in Node tests: wx's API over real HTTP (createWxShapedFake), plus
// the UI calls pages make, recorded for assertions.
import type { FakeDeviceOptions } from './createFakeDevice.ts';
import { createWxShapedFake, type FakeWxShaped } from './wxShapedFakes.ts';

/** A UI call the page made (showToast, navigateTo, stopPullDownRefresh), recorded for assertions. */
export interface UiCall {
  api: string;
  options: unknown;
}

export interface FakeWx extends FakeWxShaped {
  ui: UiCall[];
  showToast(options: unknown): void;
  navigateTo(options: unknown): void;
  stopPullDownRefresh(): void;
}

export function createFakeWx(options: FakeDeviceOptions): FakeWx {
  const ui: UiCall[] = [];
  return Object.assign(createWxShapedFake(options), {
    ui,
    showToast: (options: unknown) => void ui.push({ api: 'showToast', options }),
    navigateTo: (options: unknown) => void ui.push({ api: 'navigateTo', options }),
    stopPullDownRefresh: () => void ui.push({ api: 'stopPullDownRefresh', options: undefined }),
  });
}
