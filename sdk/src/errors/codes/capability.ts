import { defineErrors } from '../lpx-error.js';

export const capabilityErrors = defineErrors('CAPABILITY', {
  INVALID_ID: { status: 400, description: 'A capability id is not `<domain>/<name>` in lowercase with no colon.' },
  UNKNOWN: { status: 404, description: 'No capability with this id (or go-livepeer enum id) is registered or mapped.' },
  DUPLICATE: { status: 500, description: 'Two plugins declare the same capability id and model.' },
  NO_CAPACITY: { status: 503, description: 'The capability (or model) has no free capacity to reserve.' },
  RESERVATION_UNKNOWN: { status: 500, description: 'A reservation was released twice or never existed.' },
  INVALID_DECLARATION: { status: 500, description: 'A capability declaration or its operator overrides has an invalid field (capacity, price, version, model).' },
  LOCKED: { status: 500, description: 'A capability was declared after the registry was published at the end of boot.' },
  PRICE_CURRENCY: { status: 500, description: 'A capability price is not in wei and no converter was given to express it on the go-livepeer wire.' },
  UNSUPPORTED_MEDIA: { status: 400, description: 'Transcode parameters name a codec, format, profile, pixel format or storage go-livepeer has no capability for.' },
});
