const WEI_PER_ETH = 10n ** 18n;

/** Wei (a decimal string) as ETH with up to 6 decimals, in integer math: amounts exceed 2^53. */
export function formatEth(wei: string): string {
  const value = BigInt(wei);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const whole = abs / WEI_PER_ETH;
  const micro = (abs % WEI_PER_ETH) / 10n ** 12n;
  const fraction = micro === 0n ? '' : `.${micro.toString().padStart(6, '0').replace(/0+$/, '')}`;
  if (whole === 0n && micro === 0n && abs > 0n) return `${sign}${abs.toLocaleString('en')} wei`;
  return `${sign}${whole.toLocaleString('en')}${fraction} ETH`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en');
}

export function formatPrice(price: { pricePerUnit: string; pixelsPerUnit: string; unit: string } | undefined): string {
  if (price === undefined) return 'free';
  const per = price.pixelsPerUnit === '1' ? '' : ` / ${price.pixelsPerUnit}`;
  return `${BigInt(price.pricePerUnit).toLocaleString('en')}${per} ${price.unit}`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
}
