import { MAX_SEATS, PLAN_IDS } from './pricing.js';
import { z } from 'zod';

const quantity = z.number().int().min(1).max(MAX_SEATS);
const namespaceId = z.number().int().min(1).max(2_147_483_647);

export const previewNewSchema = z.strictObject({ plan: z.enum(PLAN_IDS), quantity });
export const previewSeatsSchema = z.strictObject({ namespaceId, additional: quantity });
export const previewRenewalSchema = z.strictObject({ namespaceId, quantity });

const orderBase = {
  /** Made once per page load: a repeated submit answers with the first order. */
  idempotencyKey: z.string().regex(/^[\w-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _'),
  paymentMethodId: z.string().min(1).max(100),
  termsAccepted: z.literal(true, { message: 'You must accept the Privacy Statement and Terms of Service.' }),
};

export const addressSchema = z.strictObject({
  country: z.string().length(2),
  street1: z.string().trim().min(1, 'Street address is required').max(200),
  street2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1, 'City is required').max(100),
  state: z.string().max(10).optional(),
  zip: z.string().trim().min(1, 'Zip code is required').max(20),
});

export const orderNewSchema = z.strictObject({
  plan: z.enum(PLAN_IDS),
  quantity,
  namespaceId,
  /** Required for a new customer; a returning one has "Contact information" on file. */
  address: addressSchema.optional(),
  ...orderBase,
});
export const orderSeatsSchema = z.strictObject({ namespaceId, additional: quantity, ...orderBase });
export const orderRenewalSchema = z.strictObject({ namespaceId, quantity, ...orderBase });

/** Just the key, read first: a replayed submit must not be re-validated against changed state. */
export const idempotencyOnly = z.looseObject({ idempotencyKey: orderBase.idempotencyKey });

/** Countries the billing address offers: [code, name]. */
export const COUNTRIES: readonly (readonly [string, string])[] = [
  ['US', 'United States'],
  ['CA', 'Canada'],
  ['GB', 'United Kingdom'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['IE', 'Ireland'],
  ['JP', 'Japan'],
  ['AU', 'Australia'],
  ['BR', 'Brazil'],
  ['IN', 'India'],
];

const US_STATES =
  'AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming';
const CA_PROVINCES =
  'AB Alberta|BC British Columbia|MB Manitoba|NB New Brunswick|NL Newfoundland and Labrador|NS Nova Scotia|NT Northwest Territories|NU Nunavut|ON Ontario|PE Prince Edward Island|QC Quebec|SK Saskatchewan|YT Yukon';

function pairs(list: string): (readonly [string, string])[] {
  return list.split('|').map((item) => [item.slice(0, 2), item.slice(3)] as const);
}

/** State is required (and offered) only for these countries, as on the real portal. */
export const STATES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  US: pairs(US_STATES),
  CA: pairs(CA_PROVINCES),
};

export function isCountry(code: string): boolean {
  return COUNTRIES.some(([c]) => c === code);
}
