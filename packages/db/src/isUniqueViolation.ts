import { isDriverAdapterError } from '@prisma/driver-adapter-utils';
import { Prisma } from './generated/prisma/client.ts';

/**
 * Whether a Prisma error is a unique violation (P2002) on one model's field. The adapters name it
 * differently: SQLite by its columns, PostgreSQL by its index (`<Model>_<field>_key`, Prisma's default).
 */
export function isUniqueViolation(error: unknown, model: Prisma.ModelName, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  const cause = error.meta?.driverAdapterError;
  if (!isDriverAdapterError(cause) || cause.cause.kind !== 'UniqueConstraintViolation') return false;
  const { constraint } = cause.cause;
  if (constraint && 'fields' in constraint) return constraint.fields.length === 1 && constraint.fields[0] === field && (cause.cause.table ?? model) === model;
  if (constraint && 'index' in constraint) return constraint.index === `${model}_${field}_key`;
  return false;
}
