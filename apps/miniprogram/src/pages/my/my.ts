import { getApi } from '../../lib/api';

/** "My" page (the seed's): avatar and nickname, or 未登录; 我的订单 / 查看更多 opens the orders once logged in. */
Component({
  data: { user: null as { nickName: string | null; avatarUrl: string | null } | null },
  methods: {
    onShow() {
      this.refreshUser();
    },
    refreshUser() {
      const session = getApi().session.get();
      this.setData({ user: session ? session.user : null });
    },
    onLogin(event: WechatMiniprogram.CustomEvent<{ status: 0 | 1 }>) {
      if (event.detail.status === 1) this.refreshUser();
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
