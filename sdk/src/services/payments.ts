/**
 * Payments as plugins see them. The payments issue grows this; for now the
 * kernel only needs to know whether a backend is present.
 */
export interface PaymentsService {
  readonly enabled: boolean;
}
