/**
 * Stripe's documented test cards (https://docs.stripe.com/testing): their
 * numbers, the `pm_card_…` test PaymentMethod ids that stand for them, and
 * what happens when they are charged.
 */

/** What charging a card does. */
export type CardOutcome =
  | { kind: 'succeed' }
  | { kind: 'decline'; code: string; declineCode?: string; message: string }
  | { kind: 'authenticate' };

export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard' | 'amex';
  funding: 'credit' | 'debit';
  /** Test PaymentMethod ids (and tokens) standing for this card. */
  aliases: readonly string[];
  outcome: CardOutcome;
}

const DECLINED = 'Your card was declined.';

function decline(code: string, declineCode: string | undefined, message: string): CardOutcome {
  return { kind: 'decline', code, message, ...(declineCode ? { declineCode } : {}) };
}

export const TEST_CARDS: readonly TestCard[] = [
  {
    number: '4242424242424242',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_visa', 'tok_visa'],
    outcome: { kind: 'succeed' },
  },
  {
    number: '4000056655665556',
    brand: 'visa',
    funding: 'debit',
    aliases: ['pm_card_visa_debit', 'tok_visa_debit'],
    outcome: { kind: 'succeed' },
  },
  {
    number: '5555555555554444',
    brand: 'mastercard',
    funding: 'credit',
    aliases: ['pm_card_mastercard', 'tok_mastercard'],
    outcome: { kind: 'succeed' },
  },
  {
    number: '378282246310005',
    brand: 'amex',
    funding: 'credit',
    aliases: ['pm_card_amex', 'tok_amex'],
    outcome: { kind: 'succeed' },
  },
  {
    number: '4000000000000077',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_bypassPending', 'tok_bypassPending'],
    outcome: { kind: 'succeed' },
  },
  {
    number: '4000000000000002',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_visa_chargeDeclined', 'pm_card_chargeDeclined', 'tok_chargeDeclined'],
    outcome: decline('card_declined', 'generic_decline', DECLINED),
  },
  {
    number: '4000000000009995',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedInsufficientFunds',
      'pm_card_chargeDeclinedInsufficientFunds',
      'tok_chargeDeclinedInsufficientFunds',
    ],
    outcome: decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  },
  {
    number: '4000000000009987',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedLostCard',
      'pm_card_chargeDeclinedLostCard',
      'tok_chargeDeclinedLostCard',
    ],
    outcome: decline('card_declined', 'lost_card', DECLINED),
  },
  {
    number: '4000000000009979',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedStolenCard',
      'pm_card_chargeDeclinedStolenCard',
      'tok_chargeDeclinedStolenCard',
    ],
    outcome: decline('card_declined', 'stolen_card', DECLINED),
  },
  {
    number: '4100000000000019',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_radarBlock',
      'pm_card_chargeDeclinedFraudulent',
      'pm_card_visa_chargeDeclinedFraudulent',
      'tok_radarBlock',
    ],
    outcome: decline('card_declined', 'fraudulent', DECLINED),
  },
  {
    number: '4000000000006975',
    brand: 'visa',
    funding: 'credit',
    aliases: [
      'pm_card_visa_chargeDeclinedVelocityLimitExceeded',
      'tok_visa_chargeDeclinedVelocityLimitExceeded',
    ],
    outcome: decline(
      'card_declined',
      'card_velocity_exceeded',
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    ),
  },
  {
    number: '4000000000000069',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeDeclinedExpiredCard', 'tok_chargeDeclinedExpiredCard'],
    outcome: decline('expired_card', undefined, 'Your card has expired.'),
  },
  {
    number: '4000000000000127',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeDeclinedIncorrectCvc', 'tok_chargeDeclinedIncorrectCvc'],
    outcome: decline('incorrect_cvc', undefined, "Your card's security code is incorrect."),
  },
  {
    number: '4000000000000119',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeDeclinedProcessingError', 'tok_chargeDeclinedProcessingError'],
    outcome: decline(
      'processing_error',
      undefined,
      'An error occurred while processing your card. Try again in a little bit.',
    ),
  },
  {
    number: '4000000000000341',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_chargeCustomerFail', 'tok_chargeCustomerFail'],
    outcome: decline('card_declined', 'generic_decline', DECLINED),
  },
  {
    number: '4000002760003184',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_authenticationRequired', 'tok_authenticationRequired'],
    outcome: { kind: 'authenticate' },
  },
  {
    number: '4000000000003220',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_threeDSecure2Required', 'tok_threeDSecure2Required'],
    outcome: { kind: 'authenticate' },
  },
  {
    number: '4000002500003155',
    brand: 'visa',
    funding: 'credit',
    aliases: ['pm_card_authenticationRequiredOnSetup', 'tok_authenticationRequiredOnSetup'],
    outcome: { kind: 'authenticate' },
  },
];

/** Outcome of a real-looking number that is not a test card: Stripe's test mode refuses live cards. */
export const LIVE_CARD_IN_TEST_MODE = decline(
  'card_declined',
  'test_mode_live_card',
  'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
);

/** The test card a `pm_card_…` id or `tok_…` token stands for. */
export function cardByAlias(alias: string): TestCard | undefined {
  return TEST_CARDS.find((card) => card.aliases.includes(alias));
}

/** The test card with this number, spaces allowed. */
export function cardByNumber(number: string): TestCard | undefined {
  const digits = number.replaceAll(' ', '');
  return TEST_CARDS.find((card) => card.number === digits);
}

/** The Luhn checksum every card number passes. */
export function passesLuhn(number: string): boolean {
  const digits = number.replaceAll(' ', '');
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The brand a number's first digits name. */
export function brandOf(number: string): TestCard['brand'] {
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  return 'visa';
}
