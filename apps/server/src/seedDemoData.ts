import { randomUUID } from 'node:crypto';
import type { OrderRow, OrderStatus, Store } from '@wxtrpc/db';

const titles = ['拿铁咖啡 大杯', '全麦面包', '蓝牙耳机', '保温杯 500ml', '帆布包', '绿茶礼盒', '机械键盘', '运动袜 三双装', '台灯', '笔记本 A5'];
const statuses: OrderStatus[] = ['PENDING', 'PAID', 'SHIPPED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'CANCELLED'];

/**
 * On an empty database in emulator mode: the demo user (the emulator's user "demo") with a few dozen
 * orders of mixed status, so the order list has something to show after the first login.
 */
export async function seedDemoData(store: Store, demoOpenid: string, count = 36): Promise<{ orders: number } | null> {
  if ((await store.countUsers()) > 0) return null;
  const start = Date.now();
  const orders: OrderRow[] = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    title: titles[i % titles.length]!,
    totalFen: 100 + ((i * 7919) % 50_000),
    status: statuses[i % statuses.length]!,
    createdAt: new Date(start - i * 7 * 3_600_000),
  }));
  await store.insertUserWithOrders({ id: randomUUID(), openid: demoOpenid, nickName: '演示用户', createdAt: new Date(start) }, orders);
  return { orders: count };
}
