// This build's version (vite.config.ts defines it at build time; tests and tools see 'dev').
declare const __TAIZHANG_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __TAIZHANG_VERSION__ === 'string' ? __TAIZHANG_VERSION__ : 'dev';
