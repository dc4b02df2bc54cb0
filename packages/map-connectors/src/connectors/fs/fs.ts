import {
  HubspokeError,
  type CallOptions,
  type NotifyInput,
  type PushEmailInput,
  type PushResult,
  type PushTemplateInput,
  type TaskInput,
  type TaskRef,
} from '@hubspoke/core';
import { Parser } from 'htmlparser2';
import { createHash, randomUUID } from 'node:crypto';
import { access, appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { defineConnector, type ConnectorContext } from '../../sdk/define-connector.js';

export const FsConfigSchema = z
  .object({
    /** Folder the bundles are written to (created when missing). */
    outDir: z.string().min(1).default('out'),
  })
  .strict();
export type FsConfig = z.output<typeof FsConfigSchema>;

/** An image referenced by the email, for asset checks and uploads. */
export interface BundleImage {
  src: string;
  alt: string | null;
}

/** Every `<img>` in the HTML with its `alt` (null when absent). */
export function listImages(html: string): BundleImage[] {
  const images: BundleImage[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (name === 'img' && attributes.src !== undefined)
        images.push({ src: attributes.src, alt: attributes.alt ?? null });
    },
  });
  parser.write(html);
  parser.end();
  return images;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

class FsExporter {
  private readonly root: string;

  constructor(private readonly ctx: ConnectorContext<FsConfig>) {
    this.root = resolve(ctx.config.outDir);
  }

  /** A path under the output folder; refuses anything that would escape it. */
  private path(...segments: string[]): string {
    const path = resolve(this.root, ...segments);
    if (path !== this.root && !path.startsWith(this.root + sep))
      throw new HubspokeError(
        'E_VALIDATION',
        `Refusing to write outside ${this.ctx.config.outDir}: ${segments.join('/')}`,
      );
    return path;
  }

  /** Writes atomically (temp file + rename), or records the write in a dry run. */
  private async write(operation: string, path: string, content: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) throw new HubspokeError('E_ABORTED', `fs ${operation} was cancelled`);
    const target = relative(process.cwd(), path) || path;
    if (this.ctx.dryRun !== undefined) {
      const bytes = Buffer.byteLength(content, 'utf8');
      this.ctx.dryRun.record({
        connector: this.ctx.instance,
        operation,
        method: 'WRITE',
        target,
        body: { bytes, sha256: createHash('sha256').update(content).digest('hex') },
      });
      return;
    }
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      await mkdir(resolve(path, '..'), { recursive: true });
      await writeFile(temp, content, 'utf8');
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined); // the folder may not exist at all
      throw new HubspokeError(
        'E_UPSTREAM',
        `fs ${operation}: could not write ${target}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  private async append(
    operation: string,
    file: string,
    entry: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted === true) throw new HubspokeError('E_ABORTED', `fs ${operation} was cancelled`);
    const path = this.path('outbox', file);
    const line = JSON.stringify({ at: new Date(this.ctx.now()).toISOString(), ...entry }) + '\n';
    if (this.ctx.dryRun !== undefined) {
      this.ctx.dryRun.record({
        connector: this.ctx.instance,
        operation,
        method: 'APPEND',
        target: relative(process.cwd(), path) || path,
        body: entry,
      });
      return;
    }
    try {
      await mkdir(resolve(path, '..'), { recursive: true });
      await appendFile(path, line, 'utf8');
    } catch (error) {
      throw new HubspokeError(
        'E_UPSTREAM',
        `fs ${operation}: could not append to ${relative(process.cwd(), path) || path}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  async check(): Promise<{ ok: boolean; message: string; details: Record<string, unknown> }> {
    const probe = this.path(`.hubspoke-probe-${randomUUID()}`);
    if (this.ctx.dryRun === undefined) {
      try {
        await mkdir(this.root, { recursive: true });
        await writeFile(probe, '');
        await rm(probe, { force: true });
      } catch (error) {
        return {
          ok: false,
          message: `Cannot write to ${this.root}: ${error instanceof Error ? error.message : String(error)}`,
          details: { outDir: this.root, code: 'E_UPSTREAM' },
        };
      }
    }
    return { ok: true, message: `Writing bundles to ${this.root}`, details: { outDir: this.root } };
  }

  async pushEmail(input: PushEmailInput, { signal, onProgress }: CallOptions): Promise<PushResult> {
    const id = `${input.draftId}/v${input.draftVersion}/${input.locale}`;
    const dir = this.path(input.draftId, `v${input.draftVersion}`, input.locale);
    const created = !(await exists(join(dir, 'manifest.json')));
    const { email } = input;
    const images = listImages(email.html);
    const files = {
      'email.html': email.html,
      'email.txt': email.text,
      'images.json': JSON.stringify(images, null, 2) + '\n',
    };
    const manifest = {
      draftId: input.draftId,
      draftVersion: input.draftVersion,
      locale: input.locale,
      name: input.name,
      subject: email.subject,
      preheader: email.preheader,
      template: email.template,
      dialect: email.dialect,
      contentHash: email.contentHash,
      bytes: email.bytes,
      images: images.length,
      files: Object.keys(files),
      exportedAt: new Date(this.ctx.now()).toISOString(),
    };
    const all = [...Object.entries(files), ['manifest.json', JSON.stringify(manifest, null, 2) + '\n'] as const];
    let done = 0;
    // The manifest goes last: its presence marks a complete bundle.
    for (const [file, content] of all) {
      await this.write('pushEmail', join(dir, file), content, signal);
      onProgress?.(++done, all.length);
    }
    if (this.ctx.dryRun === undefined)
      await this.ctx.store.put({
        connector: this.ctx.instance,
        kind: 'email',
        sourceId: input.draftId,
        version: input.draftVersion,
        locale: input.locale,
        remoteId: id,
        contentHash: email.contentHash,
        updatedAt: manifest.exportedAt,
      });
    return { remoteId: id, created, url: pathToFileURL(dir).href };
  }

  async pushTemplate(input: PushTemplateInput, { signal }: CallOptions): Promise<PushResult> {
    const id = `templates/${input.templateId}/v${input.templateVersion}`;
    const dir = this.path('templates', input.templateId, `v${input.templateVersion}`);
    const created = !(await exists(join(dir, 'template.html')));
    await this.write('pushTemplate', join(dir, 'template.html'), input.html, signal);
    return { remoteId: id, created, url: pathToFileURL(dir).href };
  }

  async notify(input: NotifyInput, { signal }: CallOptions): Promise<void> {
    await this.append('notify', 'notifications.jsonl', { ...input }, signal);
  }

  async createTask(input: TaskInput, { signal }: CallOptions): Promise<TaskRef> {
    const known = await this.ctx.tasks.get(input.taskKey);
    if (known !== undefined) return known;
    const ref = {
      taskKey: input.taskKey,
      remoteId: `task-${createHash('sha256').update(input.taskKey).digest('hex').slice(0, 16)}`,
    };
    await this.append('createTask', 'tasks.jsonl', { action: 'create', ...ref, ...input }, signal);
    await this.ctx.tasks.put(ref);
    return ref;
  }

  async closeTask(task: TaskRef, outcome: string, { signal }: CallOptions): Promise<void> {
    const ref = await this.ctx.tasks.resolve(task);
    await this.append(
      'closeTask',
      'tasks.jsonl',
      { action: 'close', taskKey: ref.taskKey, remoteId: ref.remoteId, outcome },
      signal,
    );
  }
}

/** The zero-setup default: writes each email as a bundle folder (HTML, text, images list, manifest JSON). */
export const fs = defineConnector({
  manifest: {
    id: 'fs',
    name: 'Filesystem export',
    version: '0.1.0',
    kind: 'export',
    description:
      'Writes <outDir>/<draft>/v<version>/<locale>/{email.html,email.txt,images.json,manifest.json}; notifications and tasks go to <outDir>/outbox/*.jsonl.',
    capabilities: ['check', 'pushTemplate', 'pushEmail', 'createTask', 'closeTask', 'notify'],
  },
  config: FsConfigSchema,
  create: (ctx) => new FsExporter(ctx),
});
