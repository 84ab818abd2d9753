import { Ajv, type ErrorObject } from 'ajv';
import { errors, type ByocAppHooks, type CapabilityRequest } from '@lpx/sdk';

function describe(error: ErrorObject): string {
  const field = error.instancePath === '' ? 'body' : `body${error.instancePath.replace(/\//g, '.')}`;
  if (error.keyword === 'required') return `${field}.${String((error.params as { missingProperty: string }).missingProperty)}: required field missing`;
  if (error.keyword === 'additionalProperties') return `${field}.${String((error.params as { additionalProperty: string }).additionalProperty)}: unknown field`;
  return `${field}: ${error.message ?? error.keyword}`;
}

/**
 * The app's input check, run by the kernel before capacity, payment or work
 * (CapabilitiesService.register's `validate`): the manifest's `inputSchema`
 * (JSON Schema, checked with ajv; the body must then be JSON), then the
 * partner's `hooks.validate` with the parsed body (the raw bytes when there
 * is no schema and the body is not JSON). Either refuses with INPUT_INVALID.
 */
export function inputCheck(app: string, inputSchema: object | undefined, hooks: ByocAppHooks | undefined): ((request: CapabilityRequest) => Promise<void>) | undefined {
  if (inputSchema === undefined && hooks?.validate === undefined) return undefined;
  const validateSchema = inputSchema === undefined ? undefined : new Ajv({ allErrors: false, strict: false }).compile(inputSchema);
  return async (request) => {
    const text = Buffer.from(request.body).toString('utf8');
    let body: unknown = Buffer.from(request.body);
    const json = /json/i.test(request.contentType) || validateSchema !== undefined;
    if (json) {
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        throw errors.byoc.INPUT_INVALID.create(`app ${app}: body: not valid JSON`, { details: { app, field: 'body' } });
      }
    }
    if (validateSchema !== undefined && !validateSchema(body)) {
      const first = validateSchema.errors?.[0];
      const what = first === undefined ? 'body: does not match the input schema' : describe(first);
      throw errors.byoc.INPUT_INVALID.create(`app ${app}: ${what}`, { details: { app, field: what.split(':')[0] } });
    }
    if (hooks?.validate !== undefined) {
      try {
        await hooks.validate(body);
      } catch (error) {
        if (errors.byoc.INPUT_INVALID.is(error)) throw error;
        throw errors.byoc.INPUT_INVALID.create(`app ${app}: ${(error as Error).message}`, { details: { app }, cause: error });
      }
    }
  };
}
