// `npm run dev`: the day-to-day loop. The API (src/server/main.ts) runs under `tsx watch` on
// TAIZHANG_API_PORT (8081) and restarts when server or shared code changes; Vite serves the app
// with hot reload on PORT (5173) and proxies /api to it. Data goes to DATA_DIR (./data/dev).
// The service worker is not registered by Vite's dev server: try offline paths on `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';

const apiPort = process.env.TAIZHANG_API_PORT ?? '8081';
const env = { ...process.env, TAIZHANG_API_PORT: apiPort, DATA_DIR: process.env.DATA_DIR ?? 'data/dev' };

const children: ChildProcess[] = [
  spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'watch', '--clear-screen=false', 'src/server/main.ts'], {
    stdio: 'inherit',
    env: { ...env, PORT: apiPort, HOST: '127.0.0.1' },
  }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', process.env.PORT ?? '5173'], { stdio: 'inherit', env }),
];

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
for (const child of children)
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 1;
  });
