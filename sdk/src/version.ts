/** The host API version plugins declare a range against (`manifest.host`). */
export const HOST_API_VERSION = '0.1.0';
