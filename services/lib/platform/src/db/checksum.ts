import { createHash } from 'node:crypto';

/** The checksum the migrator records for a migration or function file (line endings normalised). */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
