import { z } from 'zod';
import { MAX_SEATS, PLAN_IDS } from './pricing.js';

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
