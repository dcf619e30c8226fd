-- CreateTable
CREATE TABLE "Avatar" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Avatar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WechatAccessToken" (
    "appid" TEXT NOT NULL PRIMARY KEY,
    "accessToken" TEXT,
    "expiresAt" DATETIME,
    "leaseHolder" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastFetchedAt" DATETIME,
    "forceRefreshDay" TEXT,
    "forceRefreshCount" INTEGER NOT NULL DEFAULT 0,
    "lastForceRefreshAt" DATETIME
);

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL,
    "expire" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "openid" TEXT NOT NULL,
    "unionid" TEXT,
    "sessionKey" TEXT NOT NULL,
    "nickName" TEXT,
    "avatarUrl" TEXT,
    "avatarId" TEXT,
    "phoneNumber" TEXT,
    "phoneCountryCode" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_avatarId_fkey" FOREIGN KEY ("avatarId") REFERENCES "Avatar" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_User" ("avatarUrl", "createdAt", "id", "nickName", "openid", "sessionKey", "unionid", "updatedAt") SELECT "avatarUrl", "createdAt", "id", "nickName", "openid", "sessionKey", "unionid", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_openid_key" ON "User"("openid");
CREATE UNIQUE INDEX "User_unionid_key" ON "User"("unionid");
CREATE UNIQUE INDEX "User_avatarId_key" ON "User"("avatarId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Avatar_userId_createdAt_idx" ON "Avatar"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Avatar_createdAt_idx" ON "Avatar"("createdAt");

-- CreateIndex
CREATE INDEX "RateLimit_expire_idx" ON "RateLimit"("expire");
