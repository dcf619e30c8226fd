import { randomUUID } from 'node:crypto';
import type { OrderStatus, PrismaClient } from '@wxtrpc/db';

const titles = ['拿铁咖啡 大杯', '全麦面包', '蓝牙耳机', '保温杯 500ml', '帆布包', '绿茶礼盒', '机械键盘', '运动袜 三双装', '台灯', '笔记本 A5'];
const statuses: OrderStatus[] = ['PENDING', 'PAID', 'SHIPPED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'CANCELLED'];

/**
 * On an empty database in emulator mode: the demo user (the emulator's user "demo") with a few dozen
 * orders of mixed status, so the order list has something to show after the first login.
 */
export async function seedDemoData(prisma: PrismaClient, demoOpenid: string, orders = 36): Promise<{ orders: number } | null> {
  if ((await prisma.user.count()) > 0) return null;
  const userId = randomUUID();
  const start = Date.now();
  await prisma.$transaction([
    prisma.user.create({ data: { id: userId, openid: demoOpenid, sessionKey: '', nickName: '演示用户', createdAt: new Date(start) } }),
    prisma.order.createMany({
      data: Array.from({ length: orders }, (_, i) => ({
        id: randomUUID(),
        userId,
        title: titles[i % titles.length]!,
        totalFen: 100 + ((i * 7919) % 50_000),
        status: statuses[i % statuses.length]!,
        createdAt: new Date(start - i * 7 * 3_600_000),
      })),
    }),
  ]);
  return { orders };
}
