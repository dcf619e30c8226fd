import { createOrders, createUser, orderStatuses, type Db } from '@wxtrpc/db';

const titles = ['拿铁咖啡 大杯', '全麦面包', '蓝牙耳机', '保温杯 500ml', '帆布包', '绿茶礼盒', '机械键盘', '运动袜 三双装', '台灯', '笔记本 A5'];
const statuses = [...orderStatuses, 'COMPLETED', 'COMPLETED'] as const;

/**
 * On an empty database in emulator mode: the demo user (the emulator's user "demo") with a few dozen
 * orders of mixed status and 1-4 items each, so the order list has something to show after the first login.
 */
export async function seedDemoData(db: Db, demoOpenid: string, count = 36): Promise<{ orders: number } | null> {
  if ((await db.user.count()) > 0) return null;
  const start = Date.now();
  const user = await createUser(db, { openid: demoOpenid, nickName: '演示用户', createdAt: new Date(start) });
  await createOrders(
    db,
    user.id,
    Array.from({ length: count }, (_, i) => ({
      title: titles[i % titles.length]!,
      totalFen: 100 + ((i * 7919) % 50_000),
      status: statuses[i % statuses.length]!,
      createdAt: new Date(start - i * 7 * 3_600_000),
    })),
    { items: (i) => 1 + (i % 4) },
  );
  return { orders: count };
}
