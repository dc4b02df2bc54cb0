import {
  IdSchema,
  IsoDateTimeSchema,
  MetricsQuerySchema,
  PositiveIntSchema,
  PushEmailInputSchema,
  RefSchema,
  RenderedEmailSchema,
} from '@hubspoke/core';
import { z } from 'zod';

/** Core's push-email input with the rendered email checked in full. */
export const PushEmailSchema = PushEmailInputSchema.extend({ email: RenderedEmailSchema });

export const PushTemplateSchema = z
  .object({
    templateId: IdSchema,
    templateVersion: PositiveIntSchema,
    name: z.string().min(1).max(300),
    html: z.string().min(1),
    folder: z.string().max(300).optional(),
  })
  .strict();

export const TaskInputSchema = z
  .object({
    taskKey: z.string().min(1).max(300),
    title: z.string().min(1).max(500),
    notes: z.string().max(10_000).optional(),
    assignee: RefSchema.optional(),
    dueAt: IsoDateTimeSchema.optional(),
    submissionId: RefSchema,
  })
  .strict();

export const TaskRefSchema = z
  .object({ taskKey: z.string().min(1).max(300), remoteId: z.string().max(256), url: z.string().optional() })
  .strict();

/** Links in messages are restricted to http(s). */
const LinkUrlSchema = z
  .string()
  .max(3000)
  .regex(/^https?:\/\/[^\s]+$/i, { error: 'expected an http(s) URL' });

export const NotifyInputSchema = z
  .object({
    title: z.string().min(1).max(150),
    text: z.string().max(3000),
    url: LinkUrlSchema.optional(),
    actions: z
      .array(z.object({ label: z.string().min(1).max(75), url: LinkUrlSchema }).strict())
      .max(5)
      .optional(),
  })
  .strict();

export { MetricsQuerySchema };
