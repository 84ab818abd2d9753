import { defineErrors } from '../lpx-error.js';

// The payments issue fills this area in; the codes below are the ones the
// kernel already needs to name.
export const paymentsErrors = defineErrors('PAYMENTS', {
  NOT_CONFIGURED: { status: 503, description: 'No payments backend is configured for this role.' },
});
