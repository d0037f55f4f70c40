/**
 * The demo model: a logistic-regression fraud scorer with fixed coefficients. v2 and the
 * shadow candidate differ in their coefficients, so their outputs differ measurably.
 */
export interface FraudCoefficients {
  intercept: number;
  amount: number;
  merchant_risk: number;
  night: number;
  country: Record<string, number>;
}

export const MODELS: Record<string, FraudCoefficients> = {
  'fraud-v1': { intercept: -4.2, amount: 0.0021, merchant_risk: 3.1, night: 0.8, country: { US: 0, GB: 0.1, DE: 0.05, BR: 0.6, NG: 1.1 } },
  'fraud-v2': { intercept: -4.6, amount: 0.0026, merchant_risk: 3.6, night: 0.5, country: { US: 0, GB: 0.15, DE: 0.05, BR: 0.7, NG: 1.3 } },
  'fraud-v3': { intercept: -4.4, amount: 0.0023, merchant_risk: 3.3, night: 0.7, country: { US: 0, GB: 0.1, DE: 0.1, BR: 0.65, NG: 1.2 } },
};

export const FEATURES = ['amount', 'merchant_risk', 'hour', 'country'] as const;

export type Transaction = { amount: number; merchant_risk: number; hour: number; country: string };

export function score(c: FraudCoefficients, t: Transaction): number {
  const night = t.hour < 6 || t.hour >= 22 ? 1 : 0;
  const z = c.intercept + c.amount * t.amount + c.merchant_risk * t.merchant_risk + c.night * night + (c.country[t.country] ?? 0.3);
  return Math.round((1 / (1 + Math.exp(-z))) * 1e6) / 1e6;
}

/** An instance as sent by apps: an object, or positional in FEATURES order. */
export function toTransaction(instance: unknown): Transaction {
  if (Array.isArray(instance)) return { amount: Number(instance[0]), merchant_risk: Number(instance[1]), hour: Number(instance[2]), country: String(instance[3] ?? 'US') };
  const o = (instance ?? {}) as Record<string, unknown>;
  return { amount: Number(o.amount ?? 0), merchant_risk: Number(o.merchant_risk ?? 0), hour: Number(o.hour ?? 12), country: String(o.country ?? 'US') };
}
