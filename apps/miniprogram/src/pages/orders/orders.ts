import { getApi } from '../../lib/api';
import { formatFen, formatTime, statusText } from '../../lib/format';
import { loadErrorMessage } from '../../lib/loadError';

interface OrderView {
  id: string;
  title: string;
  price: string;
  status: string;
  statusText: string;
  time: string;
}

const pageSize = 10;

/**
 * My orders: newest first, more at the bottom (order.list cursors), pull down to refresh, with
 * empty and error states; a tap opens the order. Money arrives as integer fen and is formatted here.
 */
Component({
  data: {
    items: [] as OrderView[],
    cursor: null as string | null,
    phase: 'loading' as 'loading' | 'ready' | 'empty' | 'error',
    loadingMore: false,
    moreFailed: false,
    done: false,
    errorMessage: '',
  },
  methods: {
    onLoad() {
      void this.load(true);
    },
    async onPullDownRefresh() {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom() {
      if (this.data.phase === 'ready' && !this.data.done && !this.data.moreFailed) void this.load(false);
    },
    retry() {
      void this.load(this.data.phase !== 'ready');
    },
    open(event: WechatMiniprogram.BaseEvent<WechatMiniprogram.IAnyObject, { id: string }>) {
      wx.navigateTo({ url: `/pages/order/order?id=${event.currentTarget.dataset.id}` });
    },
    /** Loads the first page (reset) or the next one; one request at a time. */
    async load(reset: boolean) {
      if (this.data.loadingMore) return;
      this.setData({ loadingMore: true, moreFailed: false, ...(reset && this.data.phase !== 'ready' ? { phase: 'loading' as const } : {}) });
      try {
        const page = await getApi().client.order.list.query({ limit: pageSize, cursor: reset ? null : this.data.cursor });
        const fresh = page.items.map(
          (order): OrderView => ({
            id: order.id,
            title: order.title,
            price: formatFen(order.totalFen),
            status: order.status,
            statusText: statusText[order.status] ?? order.status,
            time: formatTime(order.createdAt),
          }),
        );
        const items = reset ? fresh : this.data.items.concat(fresh);
        this.setData({ items, cursor: page.nextCursor, done: page.nextCursor === null, phase: items.length > 0 ? 'ready' : 'empty', loadingMore: false });
      } catch (error) {
        console.warn('order.list failed', error);
        const hasItems = this.data.phase === 'ready' && this.data.items.length > 0;
        this.setData({ loadingMore: false, errorMessage: loadErrorMessage(error), ...(hasItems ? { moreFailed: true } : { phase: 'error' as const }) });
      }
    },
  },
});
