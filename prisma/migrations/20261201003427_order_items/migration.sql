-- CreateTable
CREATE TABLE "OrderItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orderId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "unitPriceFen" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    CONSTRAINT "OrderItem_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "OrderItem_orderId_position_key" ON "OrderItem"("orderId", "position");

-- Backfill (hand-written): every existing order gets one item carrying its title and total, so each
-- order's items add up to its totalFen. The item takes its order's id (unique, as the orders are 1:1 here).
INSERT INTO "OrderItem" ("id", "orderId", "position", "title", "unitPriceFen", "quantity")
SELECT "id", "id", 0, "title", "totalFen", 1 FROM "Order";
