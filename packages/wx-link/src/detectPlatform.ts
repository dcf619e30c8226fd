import type { MiniProgramPlatform } from './MiniProgramPlatform.ts';
import { fromMy, type MyLike } from './platforms/fromMy.ts';
import { fromQq, fromSwan, fromTt, fromUni, fromWx, type WxLike } from './platforms/wxShaped.ts';

// The runtimes' globals; `typeof` on an undeclared global is safe where they are missing.
declare const uni: WxLike | undefined;
declare const qq: WxLike | undefined;
declare const tt: WxLike | undefined;
declare const swan: WxLike | undefined;
declare const my: MyLike | undefined;
declare const wx: WxLike | undefined;

/**
 * The platform this code runs on, from its globals. A convenience only: name the platform (`platform:
 * fromUni(uni)`) whenever you know it. Order matters: uni-app on WeChat has both `uni` and `wx`, QQ has
 * both `qq` and `wx`. Taro is an import, not a global: pass `fromTaro(Taro)`.
 */
export function detectPlatform(): MiniProgramPlatform {
  if (typeof uni === 'object' && uni) return fromUni(uni);
  if (typeof qq === 'object' && qq) return fromQq(qq);
  if (typeof tt === 'object' && tt) return fromTt(tt);
  if (typeof swan === 'object' && swan) return fromSwan(swan);
  if (typeof my === 'object' && my) return fromMy(my);
  if (typeof wx === 'object' && wx) return fromWx(wx);
  throw new Error('No mini-program platform found (uni, qq, tt, swan, my, wx): pass `platform`, e.g. fromTaro(Taro)');
}
