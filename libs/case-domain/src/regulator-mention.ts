/** Detects a customer's mention of a regulator complaint, which escalates a case straight to L3. */

export const DEFAULT_REGULATOR_TERMS: readonly string[] = [
  'regulator',
  'regulatory authority',
  'consumer protection',
  'consumer association',
  'ombudsman',
  'trading standards',
  'competition authority',
  '12315',
  '市场监管',
  '消费者协会',
  '消协',
  '工商局',
];

export function mentionsRegulator(text: string, terms: readonly string[] = DEFAULT_REGULATOR_TERMS): boolean {
  const haystack = text.toLowerCase();
  return terms.some((term) => haystack.includes(term.toLowerCase()));
}
