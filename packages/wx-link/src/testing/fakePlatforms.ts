// Every platform the client supports, as a fake speaking that platform's API to the test server, with the
// client options that name it: the suites run once per entry (describe.each).
import type { MiniProgramPlatform } from '../MiniProgramPlatform.ts';
import { fromMy } from '../platforms/fromMy.ts';
import { fromTaro } from '../platforms/fromTaro.ts';
import { fromQq, fromSwan, fromTt, fromUni, fromWx, type WxLike } from '../platforms/wxShaped.ts';
import type { FakeDevice, FakeDeviceOptions } from './createFakeDevice.ts';
import { createFakeMy } from './createFakeMy.ts';
import { createFakeTaro } from './createFakeTaro.ts';
import { createFakeWx } from './createFakeWx.ts';
import { createFakeQq, createFakeSwan, createFakeTt, createFakeUni } from './wxShapedFakes.ts';

export interface FakePlatform {
  name: string;
  /** Logs in with wx.login underneath (WeChat, uni-app and Taro on WeChat); the others plug in their own exchange. */
  wechatLogin: boolean;
  create(options: FakeDeviceOptions): { fake: FakeDevice; platform: MiniProgramPlatform; clientOptions: { platform: MiniProgramPlatform } | { wx: WxLike } };
}

function entry<T extends FakeDevice>(name: string, wechatLogin: boolean, createFake: (options: FakeDeviceOptions) => T, adapt: (fake: T) => MiniProgramPlatform): FakePlatform {
  return {
    name,
    wechatLogin,
    create: (options) => {
      const fake = createFake(options);
      const platform = adapt(fake);
      return { fake, platform, clientOptions: { platform } };
    },
  };
}

export const fakePlatforms: FakePlatform[] = [
  {
    name: 'wx',
    wechatLogin: true,
    create: (options) => {
      const fake = createFakeWx(options);
      return { fake, platform: fromWx(fake), clientOptions: { wx: fake } }; // the original `{ url, wx }` form
    },
  },
  entry('my', false, createFakeMy, fromMy),
  entry('tt', false, createFakeTt, fromTt),
  entry('swan', false, createFakeSwan, fromSwan),
  entry('qq', false, createFakeQq, fromQq),
  entry('uni', true, createFakeUni, fromUni),
  entry('taro', true, createFakeTaro, fromTaro),
];
