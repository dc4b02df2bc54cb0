import { fileURLToPath } from 'node:url';

/** The folder of the built hub web app (index.html and assets/), for a server to serve. */
export function editorAppDir(): string {
  return fileURLToPath(new URL('./app/', import.meta.url));
}
