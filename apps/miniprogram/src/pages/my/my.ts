import { accountErrorMessage } from '../../lib/accountErrorMessage';
import { getApi, type Account } from '../../lib/api';
import { phoneCodeOf, type PhoneNumberDetail } from '../../lib/phoneCodeOf';
import { uploadAvatar } from '../../lib/uploadAvatar';

/** What the page shows; `phone` is only ever the server's masked form (138****8000). */
interface UserView {
  id: string;
  nickName: string | null;
  avatarUrl: string | null;
  phone: string | null;
}

/** Bumped by every account change, so an account.me sent before one cannot overwrite its answer. */
let changes = 0;
/** The nickname being saved (bindconfirm is followed by bindblur with the same value: sent once). */
let savingNickName: string | null = null;

/** The stored session's user follows the account, so the next launch starts from the latest profile. */
function remember(account: Account) {
  const { session } = getApi();
  const stored = session.get();
  if (stored && stored.user.id === account.id) session.set({ ...stored, user: { id: account.id, nickName: account.nickName, avatarUrl: account.avatarUrl } });
}

/**
 * "My" page: avatar, nickname and masked phone (account.me on show, the stored session's user until it
 * answers), or 未登录. Logged in, the avatar button picks a new avatar (chooseAvatar → POST /avatars →
 * account.updateProfile), the nickname input saves on blur/confirm (updateProfile, checked by WeChat), and
 * 绑定手机号 (getPhoneNumber → account.bindPhone). 我的订单 / 查看更多 opens the orders once logged in.
 */
Component({
  data: { user: null as UserView | null, nickInput: '' },
  methods: {
    onShow() {
      void this.refreshUser();
    },
    async refreshUser() {
      const api = getApi();
      const session = api.session.get();
      if (!session) {
        this.setData({ user: null, nickInput: '' });
        return;
      }
      const shown = this.data.user;
      const phone = shown && shown.id === session.user.id ? shown.phone : null;
      this.setData({ user: { ...session.user, phone }, nickInput: session.user.nickName ?? '' });
      const before = changes;
      try {
        const account = await api.client.account.me.query();
        if (changes === before && api.session.get()) this.show(account);
      } catch (error) {
        console.warn('account.me failed; showing the stored user', error);
      }
    },
    show(account: Account) {
      remember(account);
      this.setData({ user: { id: account.id, nickName: account.nickName, avatarUrl: account.avatarUrl, phone: account.phone }, nickInput: account.nickName ?? '' });
    },
    /** Runs an account change; shows its answer and a toast, or the error's toast. Resolves whether it worked. */
    async change(run: () => Promise<Account>, done: string): Promise<boolean> {
      changes++;
      try {
        const account = await run();
        changes++;
        this.show(account);
        wx.showToast({ title: done, icon: 'success' });
        return true;
      } catch (error) {
        console.warn('account change failed', error);
        wx.showToast({ title: accountErrorMessage(error), icon: 'none' });
        return false;
      }
    },
    /** Logged out, the account controls open the login dialog. */
    needsLogin(): boolean {
      if (getApi().session.get()) return false;
      this.selectComponent('#login').show();
      return true;
    },
    async onGetPhoneNumber(event: WechatMiniprogram.CustomEvent<PhoneNumberDetail>) {
      const code = phoneCodeOf(event.detail);
      if (!code || this.needsLogin()) return; // refused or failed: nothing to send
      await this.change(() => getApi().client.account.bindPhone.mutate({ code }), '已绑定');
    },
    async onChooseAvatar(event: WechatMiniprogram.CustomEvent<{ avatarUrl?: string }>) {
      const filePath = event.detail.avatarUrl;
      if (!filePath || this.needsLogin()) return;
      await this.change(async () => getApi().client.account.updateProfile.mutate({ avatarId: await uploadAvatar(filePath) }), '头像已更新');
    },
    async onNickname(event: WechatMiniprogram.CustomEvent<{ value?: string }>) {
      const nickName = String(event.detail.value ?? '').trim();
      const previous = this.data.user?.nickName ?? '';
      if (!nickName || nickName === previous || nickName === savingNickName || this.needsLogin()) return;
      savingNickName = nickName;
      this.setData({ nickInput: nickName });
      try {
        const saved = await this.change(() => getApi().client.account.updateProfile.mutate({ nickName }), '昵称已更新');
        if (!saved) this.setData({ nickInput: this.data.user?.nickName ?? '' }); // keep the old name
      } finally {
        savingNickName = null;
      }
    },
    onLogin(event: WechatMiniprogram.CustomEvent<{ status: 0 | 1 }>) {
      if (event.detail.status === 1) void this.refreshUser();
    },
    showLogin() {
      this.selectComponent('#login').show();
    },
    seeMore() {
      if (getApi().session.get()) {
        wx.navigateTo({ url: '/pages/orders/orders' });
      } else {
        this.selectComponent('#login').show();
      }
    },
  },
});
