import { errorData, getApi } from '../../lib/api';
import { formatFen, formatTime, statusText } from '../../lib/format';
import { loadErrorMessage } from '../../lib/loadError';

interface ItemView {
  id: string;
  title: string;
  unitPrice: string;
  quantity: number;
  amount: string;
}

interface OrderView {
  title: string;
  status: string;
  statusText: string;
  time: string;
  total: string;
  items: ItemView[];
}

/** An unknown id, someone else's order (ORDER_NOT_FOUND) or an id that is no UUID (BAD_REQUEST). */
const isNotFound = (error: unknown) => {
  const data = errorData(error);
  return data?.reason === 'ORDER_NOT_FOUND' || data?.code === 'BAD_REQUEST';
};

/**
 * One order (opened from the orders page with ?id=): status, time, items with unit price, quantity and
 * line amount, and the total; pull down to refresh; loading, not-found and error (retry) states. A
 * refresh that fails keeps the order on screen and says so in a toast.
 */
Component({
  data: {
    id: '',
    order: null as OrderView | null,
    phase: 'loading' as 'loading' | 'ready' | 'notFound' | 'error',
    loading: false,
    errorMessage: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: query.id ?? '' });
      void this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    retry() {
      void this.load();
    },
    /** Fetches the order; one request at a time. */
    async load() {
      if (this.data.loading) return;
      if (!this.data.id) {
        this.setData({ phase: 'notFound' });
        return;
      }
      const refreshing = this.data.phase === 'ready';
      this.setData({ loading: true, ...(refreshing ? {} : { phase: 'loading' as const }) });
      try {
        const order = await getApi().client.order.detail.query({ id: this.data.id });
        const view: OrderView = {
          title: order.title,
          status: order.status,
          statusText: statusText[order.status] ?? order.status,
          time: formatTime(order.createdAt),
          total: formatFen(order.totalFen),
          items: order.items.map((item) => ({
            id: item.id,
            title: item.title,
            unitPrice: formatFen(item.unitPriceFen),
            quantity: item.quantity,
            amount: formatFen(item.unitPriceFen * item.quantity), // integer fen × integer count: exact
          })),
        };
        this.setData({ order: view, phase: 'ready', loading: false });
      } catch (error) {
        console.warn('order.detail failed', error);
        if (isNotFound(error)) {
          this.setData({ order: null, phase: 'notFound', loading: false });
        } else if (refreshing) {
          this.setData({ loading: false });
          wx.showToast({ title: '刷新失败', icon: 'error' });
        } else {
          this.setData({ phase: 'error', errorMessage: loadErrorMessage(error), loading: false });
        }
      }
    },
  },
});
