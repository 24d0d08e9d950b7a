// `npm run backup [-- <directory>]`: a consistent copy of the database and the photos, taken
// while the server runs (src/server/backup/backup.ts), into <directory>/taizhang-<time>/
// (default: TAIZHANG_BACKUP_DIR, else ./backups). Copy that directory off the machine.
import path from 'node:path';
import { takeBackup } from '../src/server/backup/backup.ts';
import { readConfig } from '../src/server/config.ts';

const config = readConfig();
const into = path.resolve(process.argv[2] ?? process.env.TAIZHANG_BACKUP_DIR ?? 'backups');
try {
  const { dir, manifest } = await takeBackup({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, into });
  console.log(`备份完成：${dir}`);
  console.log(
    `  ${manifest.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}，记录序号至 ${manifest.lastSeq}，照片文件 ${manifest.attachmentFiles} 个，日志代号 ${manifest.generation ?? '（无）'}`,
  );
} catch (err) {
  console.error(`备份失败：${(err as Error).message}`);
  process.exitCode = 1;
}
