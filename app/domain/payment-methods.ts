// The ways to pay, in one table: what each is (a provider's hosted checkout, a bank transfer, the
// bank apps' QR codes, or a payment only the ledger knows), the ids the providers give it, the
// currencies it takes, where it stands on the page, and the dictionary keys that name it.
// Every union, zod enum, drizzle enum, page option and provider mapping is derived from here, so
// a new method (say Klarna through Stripe) is a row plus its name in the sv and en dictionaries:
// the generic sentences ("Pay with {method}") cover the rest, and `t` refuses a key a dictionary
// lacks, so a row without its name does not compile.

/** The providers whose hosted checkout pages take a supplier's payments. */
export const PAYMENT_PROVIDERS = ["stripe", "adyen"] as const;
type Provider = (typeof PAYMENT_PROVIDERS)[number];

type MethodRow = {
  /**
   * checkout: paid on the provider's hosted page, confirmed by its webhook; bank: a transfer the
   * payer makes with the supplier's bank details; qr: the bank apps' QR codes beside them (an
   * option, never a payment of its own); manual: recorded by the supplier only (cash, other).
   */
  kind: "checkout" | "bank" | "qr" | "manual";
  /** The method's id at each provider that takes it at checkout. */
  providers?: Partial<Record<Provider, string>>;
  /** The currencies it takes; without the field, any. */
  currencies?: readonly string[];
  /** The shopper country the provider offers it in (Adyen's countryCode). */
  country?: string;
  /** The page option of a checkout method when it is not the method's code. */
  checkoutOption?: string;
  /** The page option that shows the method's own QR code where no provider account takes it. */
  qrOption?: string;
  /** The payer may tell the supplier "I have paid" with it. */
  reportable?: boolean;
  /**
   * Where it stands (1 first): `desk` on the page at a desk and in the supplier's settings,
   * `phone` on the page on a phone, `record` among the methods a supplier records by hand.
   */
  order: { desk?: number; phone?: number; record?: number };
  /** Its name for people: the one dictionary key a new method needs (in sv and en). */
  label: string;
  /** Its own wording where the generic sentences ("Pay with {method}") are not good enough. */
  texts?: Partial<Record<MethodText, string>>;
};

/** The sentences a method appears in. */
export type MethodText = "heading" | "button" | "hint" | "failed" | "failedReason" | "cancelled" | "paidBy";

/** Row order is the order of the ledger's methods (the payments.method enum, the API's lists). */
export const PAYMENT_METHODS = {
  card: {
    kind: "checkout",
    providers: { stripe: "card", adyen: "scheme" },
    order: { desk: 1, phone: 2, record: 3 },
    label: "payments.method.card",
    texts: {
      button: "payments.card.button",
      hint: "payments.card.hint",
      failed: "payments.failed.card",
      failedReason: "payments.failed.cardReason",
      cancelled: "payments.cancelled.card",
      paidBy: "receipt.by.card",
    },
  },
  swish: {
    kind: "checkout",
    providers: { stripe: "swish", adyen: "swish" },
    currencies: ["SEK"],
    country: "SE",
    checkoutOption: "swish_checkout",
    qrOption: "swish_qr",
    reportable: true,
    order: { desk: 3, phone: 1, record: 2 },
    label: "payments.method.swish",
    texts: {
      heading: "pay.swish.heading",
      button: "payments.swish.button",
      hint: "payments.swish.hint",
      failed: "payments.failed.swish",
      failedReason: "payments.failed.swishReason",
      cancelled: "payments.cancelled.swish",
      paidBy: "receipt.by.swish",
    },
  },
  bank_transfer: {
    kind: "bank",
    reportable: true,
    order: { desk: 2, phone: 3, record: 1 },
    label: "payments.method.bank_transfer",
    texts: { paidBy: "receipt.by.bank_transfer" },
  },
  bank_qr: {
    kind: "qr",
    order: { desk: 4 },
    label: "payments.method.bank_qr",
  },
  cash: {
    kind: "manual",
    order: { record: 4 },
    label: "payments.method.cash",
    texts: { paidBy: "receipt.by.cash" },
  },
  other: {
    kind: "manual",
    reportable: true,
    order: { record: 5 },
    label: "payments.method.other",
    texts: { paidBy: "receipt.by.other" },
  },
} as const satisfies Record<string, MethodRow>;

/** The generic sentences, with the method's name as {method}. */
const GENERIC_TEXTS = {
  button: "payments.checkout.button",
  hint: "payments.checkout.hint",
  failed: "payments.failed.method",
  failedReason: "payments.failed.methodReason",
  cancelled: "payments.cancelled.method",
  paidBy: "receipt.by.method",
} as const satisfies Record<Exclude<MethodText, "heading">, string>;

type Table = typeof PAYMENT_METHODS;
export type PaymentMethodCode = keyof Table;
type CodesWhere<Shape> = { [K in PaymentMethodCode]: Table[K] extends Shape ? K : never }[PaymentMethodCode];

/** A payment in the ledger (payments.method): everything but the QR codes option. */
export type LedgerMethod = Exclude<PaymentMethodCode, CodesWhere<{ kind: "qr" }>>;
/** Paid through a provider's hosted page. */
export type CheckoutMethod = CodesWhere<{ kind: "checkout" }>;
/** A way to pay a supplier switches on in its settings (suppliers.payment_options). */
export type PaymentOption = Exclude<PaymentMethodCode, CodesWhere<{ kind: "manual" }>>;
/** What a payer may say it paid with ("I have paid"). */
export type ReportedMethod = CodesWhere<{ reportable: true }>;
/** Taken at checkout by a provider's account. */
export type ProviderMethod<P extends Provider = Provider> = P extends Provider ? CodesWhere<{ providers: { [K in P]: string } }> : never;

type CheckoutOptionOf<K extends CheckoutMethod> = Table[K] extends { checkoutOption: infer O extends string } ? O : K;
type QrOptionOf<R> = R extends { qrOption: infer O extends string } ? O : never;
/** What the payer's page offers: a checkout button, a method's QR code, the bank details. */
export type PayOption =
  | { [K in CheckoutMethod]: CheckoutOptionOf<K> }[CheckoutMethod]
  | QrOptionOf<Table[PaymentMethodCode]>
  | CodesWhere<{ kind: "bank" }>;

type TextsOf<R> = R extends { texts: infer T } ? T[keyof T] : never;
/** Every dictionary key the table names: each must be in both dictionaries (checked by `t`). */
export type MethodTextKey = Table[PaymentMethodCode]["label"] | TextsOf<Table[PaymentMethodCode]> | (typeof GENERIC_TEXTS)[keyof typeof GENERIC_TEXTS];

// The table with its literal types widened, for the lookups below.
const ROWS: Record<PaymentMethodCode, MethodRow> = PAYMENT_METHODS;
const CODES = Object.keys(PAYMENT_METHODS) as PaymentMethodCode[];

type Tuple<T> = readonly [T, ...T[]];
function tuple<T extends string>(codes: T[]): Tuple<T> {
  if (codes.length === 0) throw new Error("a derived list of payment methods is empty");
  return codes as unknown as Tuple<T>;
}
/** Sorts by a rank; rows without one go last, in table order. */
const by = (field: keyof MethodRow["order"]) => (a: PaymentMethodCode, b: PaymentMethodCode) =>
  (ROWS[a].order[field] ?? Number.MAX_SAFE_INTEGER) - (ROWS[b].order[field] ?? Number.MAX_SAFE_INTEGER);

/** The ledger's methods in table order (payments.method, the API's `method`). */
export const LEDGER_METHODS = tuple(CODES.filter((code): code is LedgerMethod => ROWS[code].kind !== "qr"));
/** The ways to pay a supplier can switch on, in the settings' order (also the page's at a desk). */
export const PAYMENT_OPTIONS = tuple(CODES.filter((code): code is PaymentOption => ROWS[code].kind !== "manual").sort(by("desk")));
/** What a supplier may record by hand, most common first. */
export const RECORDED_METHODS = tuple([...LEDGER_METHODS].sort(by("record")));
/** What a payer may report as paid, in the same order. */
export const REPORTED_METHODS = tuple(RECORDED_METHODS.filter((code): code is ReportedMethod => ROWS[code].reportable === true));
/** The checkout methods, in table order. */
export const CHECKOUT_METHODS = tuple(CODES.filter((code): code is CheckoutMethod => ROWS[code].kind === "checkout"));

/** What an account at any provider can take at checkout, in table order (payment_accounts.methods). */
export const ACCOUNT_METHODS = tuple(CODES.filter((code): code is ProviderMethod => Object.keys(ROWS[code].providers ?? {}).length > 0));

export function isAccountMethod(value: unknown): value is ProviderMethod {
  return (ACCOUNT_METHODS as readonly unknown[]).includes(value);
}

/** What an account at the provider can take at checkout, in table order. */
export function providerMethods<P extends Provider>(provider: P): Tuple<ProviderMethod<P>> {
  return tuple(CODES.filter((code): code is ProviderMethod<P> => ROWS[code].providers?.[provider] !== undefined));
}

export function isCheckoutMethod(value: unknown): value is CheckoutMethod {
  return (CHECKOUT_METHODS as readonly unknown[]).includes(value);
}

export function isLedgerMethod(value: unknown): value is LedgerMethod {
  return (LEDGER_METHODS as readonly unknown[]).includes(value);
}

/** Whether the method takes the currency (ISO 4217, any case). */
export function acceptsCurrency(method: PaymentMethodCode, currency: string): boolean {
  const currencies = ROWS[method].currencies;
  return currencies === undefined || currencies.includes(currency.toUpperCase());
}

// --- the words ------------------------------------------------------------------------------

/** The dictionary key of the method's name ("Card", "Swish"). */
export function dictionaryKey<M extends PaymentMethodCode>(method: M): Table[M]["label"] {
  return PAYMENT_METHODS[method].label;
}

/** The dictionary key of a sentence about the method; a generic one takes the name as {method}. */
export function methodText(method: PaymentMethodCode, text: MethodText): MethodTextKey {
  const own = ROWS[method].texts?.[text];
  if (own) return own as MethodTextKey;
  return text === "heading" ? dictionaryKey(method) : GENERIC_TEXTS[text];
}

// --- the payer's page -----------------------------------------------------------------------

/** The methods the page can offer, in the order that suits the device. */
export function pageMethods(device: "phone" | "desk"): (CheckoutMethod | CodesWhere<{ kind: "bank" }>)[] {
  return CODES.filter(
    (code): code is CheckoutMethod | CodesWhere<{ kind: "bank" }> =>
      (ROWS[code].kind === "checkout" || ROWS[code].kind === "bank") && ROWS[code].order[device] !== undefined,
  ).sort(by(device));
}

export type PageFacts = {
  /** The ways to pay the supplier switched on. */
  switchedOn: readonly string[];
  currency: string;
  /** The methods the supplier's provider accounts take. */
  accountMethods: readonly string[];
  /** The methods whose own QR code the page has (the supplier's Swish number). */
  qrCodes: readonly string[];
  hasBankDetails: boolean;
  phone: boolean;
};

/** The page options of the methods switched on that the supplier can take, in the device's order. */
export function pageOptions(facts: PageFacts): PayOption[] {
  const on = new Set(facts.switchedOn);
  return pageMethods(facts.phone ? "phone" : "desk")
    .filter((method) => on.has(method))
    .map((method): PayOption | null => {
      const row = ROWS[method];
      if (row.kind === "bank") return facts.hasBankDetails ? (method as PayOption) : null;
      // A checkout through the provider confirms itself, so it replaces the method's QR code.
      if (facts.accountMethods.includes(method) && acceptsCurrency(method, facts.currency)) return checkoutOption(method as CheckoutMethod);
      return row.qrOption && facts.qrCodes.includes(method) ? (row.qrOption as PayOption) : null;
    })
    .filter((option): option is PayOption => option !== null);
}

/** The page option of a checkout method's button. */
export function checkoutOption(method: CheckoutMethod): PayOption {
  return (ROWS[method].checkoutOption ?? method) as PayOption;
}

export type DescribedOption =
  | { via: "checkout"; method: CheckoutMethod }
  | { via: "qr"; method: PaymentMethodCode }
  | { via: "bank"; method: PaymentMethodCode };

/** What a page option is: a method, and how the page offers it. */
export function describeOption(option: PayOption): DescribedOption {
  for (const method of CODES) {
    const row = ROWS[method];
    if (row.qrOption === option) return { via: "qr", method };
    if (isCheckoutMethod(method) && checkoutOption(method) === option) return { via: "checkout", method };
    if (row.kind === "bank" && method === option) return { via: "bank", method };
  }
  throw new Error(`unknown page option ${option}`);
}

// --- the providers --------------------------------------------------------------------------

/** Provider events that name no method we know are card payments (Stripe's default, Adyen's card brands). */
export const DEFAULT_CHECKOUT_METHOD = "card" satisfies CheckoutMethod;

function providerId(provider: Provider, method: string): string {
  const id = isCheckoutMethod(method) ? ROWS[method].providers?.[provider] : undefined;
  if (id === undefined) throw new Error(`payment method ${method} is not taken through ${provider}`);
  return id;
}

/** Stripe's payment method type for a checkout (`allowed_payment_method_types`). */
export function stripeMethodType(method: string): string {
  return providerId("stripe", method);
}

/** Adyen's payment method for a payment link (`allowedPaymentMethods`), with the country it needs. */
export function adyenMethod(method: string): { type: string; countryCode?: string } {
  const country = ROWS[method as PaymentMethodCode]?.country;
  return { type: providerId("adyen", method), ...(country ? { countryCode: country } : {}) };
}

/** The method a Stripe session or intent was paid with: its one known type, else card. */
export function methodFromStripeTypes(types: readonly string[] | null | undefined): CheckoutMethod {
  const stripeType = (method: CheckoutMethod) => ROWS[method].providers?.stripe;
  const known = CHECKOUT_METHODS.filter((method) => types?.includes(stripeType(method) ?? "") ?? false);
  return known.length === 1 ? known[0]! : DEFAULT_CHECKOUT_METHOD;
}

/** The method of an Adyen notification's paymentMethod ("swish"; card brands such as "visa" are card). */
export function methodFromAdyen(name: string | null | undefined): CheckoutMethod {
  const id = name?.toLowerCase();
  // A method Adyen does not take has no id there: it must not match a notification that names none.
  return (id && CHECKOUT_METHODS.find((method) => ROWS[method].providers?.adyen === id)) || DEFAULT_CHECKOUT_METHOD;
}
