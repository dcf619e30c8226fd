import type { Db } from '@wxtrpc/db';

const day = 24 * 3_600_000;

/** Deletes uploads older than a day that no user chose as their avatar; returns how many. */
export async function deleteUnusedAvatars(db: Db, now: Date): Promise<number> {
  const { count } = await db.avatar.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - day) }, chosenBy: { is: null } } });
  return count;
}
