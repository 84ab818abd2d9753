/**
 * Fastify's own refusals (FST_* codes) as catalogue codes: a client of the
 * node sees one vocabulary of LPX_ERR_* codes whichever layer said no.
 */
import { errors, type ErrorCode } from '@lpx/sdk';

const BY_FASTIFY_CODE: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: errors.http.BODY_INVALID,
  FST_ERR_CTP_EMPTY_JSON_BODY: errors.http.BODY_INVALID,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: errors.http.BODY_INVALID,
  FST_ERR_CTP_EMPTY_TYPE: errors.http.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_TYPE: errors.http.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: errors.http.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_BODY_TOO_LARGE: errors.http.BODY_TOO_LARGE,
  FST_ERR_BAD_URL: errors.http.URL_INVALID,
  FST_ERR_VALIDATION: errors.http.BAD_REQUEST,
  FST_ERR_NOT_FOUND: errors.http.NOT_FOUND,
};

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: errors.http.BAD_REQUEST,
  404: errors.http.NOT_FOUND,
  405: errors.http.METHOD_NOT_ALLOWED,
  413: errors.http.BODY_TOO_LARGE,
  415: errors.http.UNSUPPORTED_MEDIA_TYPE,
  431: errors.http.HEADERS_TOO_LARGE,
};

/** The catalogue entry for a client error that is not an LpxError; `status` is the error's 4xx. */
export function catalogueFor(fastifyCode: string | undefined, status: number): ErrorCode {
  return (fastifyCode !== undefined ? BY_FASTIFY_CODE[fastifyCode] : undefined) ?? BY_STATUS[status] ?? errors.http.REQUEST_REFUSED;
}
