import { getApi } from '../../lib/api';

/**
 * The login dialog (the seed's component/login). A page shows it with `selectComponent('#login').show()`
 * when something needs a session; it runs wx.login → auth.login, stores the session, and emits
 * `login` with `{ status: 1 }` on success or `{ status: 0 }` on failure.
 */
Component({
  data: { visible: false, loading: false },
  methods: {
    show() {
      this.setData({ visible: true });
    },
    hide() {
      this.setData({ visible: false, loading: false });
    },
    noop() {},
    async onLoginTap() {
      if (this.data.loading) return;
      this.setData({ loading: true });
      try {
        const session = await getApi().login();
        this.triggerEvent('login', { status: 1, user: session.user });
        wx.showToast({ title: '登录成功', icon: 'success' });
      } catch (error) {
        console.warn('login failed', error);
        this.triggerEvent('login', { status: 0 });
        wx.showToast({ title: '登录失败', icon: 'error' });
      } finally {
        this.hide();
      }
    },
  },
});
