/**
 * A hosted BYOC app as a static Live Runner entry. The price must be an
 * exact wei amount per Live Runner unit: a BYOC price of `pricePerUnit` per
 * `pixelsPerUnit` units that does not divide evenly is refused rather than
 * rounded (money is exact), and a zero price means free.
 */
import { byocSessionMode, liveRunnerPriceUnit, type HostedByocApp, type StaticLiveRunner } from '@lpx/sdk';

export type Conversion = { readonly ok: true; readonly runner: StaticLiveRunner } | { readonly ok: false; readonly reason: string };

export function hostedRunner(app: HostedByocApp): Conversion {
  const perUnit = BigInt(app.price.pricePerUnit);
  const pixels = BigInt(app.price.pixelsPerUnit ?? '1');
  if (perUnit % pixels !== 0n) {
    return { ok: false, reason: `price ${app.price.pricePerUnit}/${pixels} wei is not a whole number of wei per ${liveRunnerPriceUnit(app.price.unit)}` };
  }
  const wei = perUnit / pixels;
  return {
    ok: true,
    runner: {
      label: app.name,
      routing: 'label',
      runnerUrl: app.url,
      healthUrl: app.healthUrl,
      healthyStatusCode: app.healthyStatus,
      app: app.capabilityId,
      version: app.version,
      mode: byocSessionMode(app.spec),
      capacity: app.capacity,
      ...(app.gpus[0] !== undefined ? { gpu: { id: app.gpus[0] } } : {}),
      ...(wei > 0n ? { price: { price: wei.toString(), unit: liveRunnerPriceUnit(app.price.unit) } } : {}),
    },
  };
}
