/**
 * An AI request body as the orchestrator's routes receive it — JSON or
 * multipart/form-data, as go-livepeer's gateway sends each pipeline — read
 * within `ai.limits.maxBodyBytes` and turned into the pipelines' AIRequestBody.
 * Nothing here checks fields: pipelines do (validate).
 */
import type { FastifyRequest } from 'fastify';
import { errors, type AIPipeline, type AIRequestBody, type AIUpload } from '@lpx/sdk';
import { parseMultipart } from '../../network/multipart/index.js';
import { BodyTooLargeError, readRequestBody } from '../../network/segment/request-body.js';

/** A disposition parameter (`name="image"`), quoted or not. */
function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(disposition);
  if (match === null) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!.trim();
}

function multipartBody(data: Buffer, contentType: string): AIRequestBody {
  let parts;
  try {
    parts = parseMultipart(data, contentType, { maxParts: 64 });
  } catch (error) {
    throw errors.ai.REQUEST_INVALID.create(`the multipart body cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const fields: Record<string, string> = {};
  const files: AIUpload[] = [];
  for (const part of parts) {
    const disposition = part.headers['content-disposition'] ?? '';
    const field = dispositionParam(disposition, 'name');
    if (field === undefined || field === '') throw errors.ai.REQUEST_INVALID.create('a multipart part has no form field name');
    const filename = dispositionParam(disposition, 'filename');
    if (filename !== undefined) {
      const type = part.headers['content-type'];
      files.push({ field, filename, ...(type !== undefined ? { contentType: type } : {}), data: part.body });
    } else {
      fields[field] = Buffer.from(part.body).toString('utf8');
    }
  }
  return { kind: 'multipart', fields, files };
}

function jsonBody(data: Buffer): AIRequestBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw errors.ai.REQUEST_INVALID.create(`the body is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.ai.REQUEST_INVALID.create('the body must be a JSON object');
  return { kind: 'json', json: parsed as Record<string, unknown> };
}

/** Reads and decodes the body for `pipeline`; throws LIMIT_EXCEEDED or REQUEST_INVALID. */
export async function readAIRequestBody(request: FastifyRequest, pipeline: AIPipeline, maxBodyBytes: number): Promise<AIRequestBody> {
  let data: Buffer;
  try {
    data = await readRequestBody(request, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw errors.ai.LIMIT_EXCEEDED.create(`the request body is over ai.limits.maxBodyBytes (${maxBodyBytes} bytes)`, { details: { limit: 'maxBodyBytes', max: maxBodyBytes } });
    throw errors.ai.REQUEST_INVALID.create(`the request body could not be read: ${(error as Error).message}`, { cause: error });
  }
  return decodeAIRequestBody(data, request.headers['content-type'] ?? '', pipeline);
}

/** Decodes a body already read (the ai-live-runner bridge hands bytes): throws REQUEST_INVALID. */
export function decodeAIRequestBody(data: Buffer, contentType: string, pipeline: Pick<AIPipeline, 'name' | 'bodyKind'>): AIRequestBody {
  if (pipeline.bodyKind === 'multipart') {
    if (!/^multipart\/form-data/i.test(contentType)) throw errors.ai.REQUEST_INVALID.create(`${pipeline.name} takes multipart/form-data, got ${JSON.stringify(contentType)}`);
    return multipartBody(data, contentType);
  }
  return jsonBody(data);
}
