// `npm run restore -- <backup directory>`: puts a backup in place (src/server/backup/restore.ts)
// and mints a new generation of the log, so phones offer again what the backup lacks. Stop the
// server first (SQLite); on PostgreSQL, DATABASE_URL names a new empty database. It stops nothing.
// `npm run restore -- --new-generation [reason]`: only mints a new generation on the configured
// database (after promoting a replica: docs/deploy.md "Failover").
import { readConfig } from '../src/server/config.ts';
import { restoreBackup } from '../src/server/backup/restore.ts';
import { openStore } from '../src/server/storage/open.ts';

const config = readConfig();
const [first, second] = process.argv.slice(2);
try {
  if (first === '--new-generation') {
    const store = await openStore(config);
    try {
      const generation = await store.mintGeneration(second ?? 'failover');
      console.log(`新的日志代号：${generation}。手机下次同步时会重新上传本机记录，已有的服务器会答“重复”。`);
    } finally {
      await store.close();
    }
  } else if (!first) {
    console.error('用法：npm run restore -- <备份目录>    或    npm run restore -- --new-generation [原因]');
    process.exitCode = 2;
  } else {
    const report = await restoreBackup({ from: first, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    console.log(`已恢复 ${report.manifest.createdAt} 的备份（记录序号至 ${report.manifest.lastSeq}），新的日志代号：${report.generation}`);
    if (report.keptPrevious) console.log(`  原数据库保留在 ${report.keptPrevious}`);
    console.log(`  补回照片文件 ${report.attachmentsCopied} 个。现在启动服务器；手机同步时会重新上传备份之后的记录。`);
  }
} catch (err) {
  console.error(`恢复失败：${(err as Error).message}`);
  process.exitCode = 1;
}
