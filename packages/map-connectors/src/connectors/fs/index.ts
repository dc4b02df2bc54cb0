export { fs, FsConfigSchema, listImages } from './fs.js';
export type { FsConfig, BundleImage } from './fs.js';
