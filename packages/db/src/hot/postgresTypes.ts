import pg from 'pg';

const timestampOid = 1114; // timestamp without time zone: Prisma writes UTC there

/**
 * Per-query type parsers for hand-written statements: `timestamp` read as UTC, as Prisma's adapter does
 * (pg's default reads it in the process's local time zone). pg's global parsers stay untouched.
 */
export const prismaCompatibleTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === timestampOid && format !== 'binary'
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};
