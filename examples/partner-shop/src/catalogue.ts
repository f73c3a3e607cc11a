export interface Product {
  name: string;
  description: string;
  /** In cents. */
  price: number;
}

export const PRODUCTS: readonly Product[] = [
  {
    name: 'Trail backpack',
    description: '35 litres, water-resistant, with a hydration sleeve.',
    price: 8900,
  },
  { name: 'Insulated bottle', description: 'Keeps coffee hot for 12 hours.', price: 2900 },
  { name: 'Field jacket', description: 'Windproof shell with a removable fleece liner.', price: 14900 },
  { name: 'Headlamp', description: '400 lumens, rechargeable over USB-C.', price: 3900 },
];

export const DISCOUNT_PERCENT = 15;

/** The communities the offer is for: the verify buttons ask for them, the callback accepts either. */
export const OFFER_COMMUNITIES: readonly string[] = ['military', 'responder'];

export function discounted(price: number): number {
  return Math.round((price * (100 - DISCOUNT_PERCENT)) / 100);
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatPrice(cents: number): string {
  return dollars.format(cents / 100);
}
