/** The lint worker's URL (vite.config.ts, `lintWorkerChunk`): start it as a module worker. */
declare module 'virtual:hubspoke-lint-worker' {
  const url: string;
  export default url;
}
