// The supplier's card-payment accounts (/app/settings/payment-accounts): owners and admins see
// each provider (Stripe, Adyen): connected or not, hints of its keys, its mode, the webhook URL to
// register there; an owner (payments.accounts) connects one, replaces its credentials or removes
// it (after a confirming second POST). The API's own use cases, audited with the user, without
// secrets; secrets are typed into password fields and never sent back.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { json } from "~/api/problem.server";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { dictionaryKey, providerMethods } from "~/domain/payment-methods";
import { consoleRoute, field, notFound, type ConsoleCall } from "~/features/console/console-route.server";
import { supplierSettings } from "~/features/suppliers/suppliers.server";
import { isPaymentProvider, removePaymentAccount } from "~/features/payments/payment-accounts.server";
import {
  consolePaymentAccounts, setPaymentAccountFromForm, type AccountField, type AccountFormRefusal, type ConsolePaymentAccount,
} from "~/features/payments/payment-account-console.server";
import type { AdyenAccountJson, StripeAccountJson } from "~/features/payments/payment-accounts.server";
import { Field, Notice, Submit } from "~/components/console/console-form";
import { CopyButtonsScript } from "~/components/invoice/copy-buttons";

type PaymentProvider = ConsolePaymentAccount["provider"];

export const handle = { hydrate: false };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: t(data?.locale ?? "sv", "console.paymentAccounts.title") }];

const PATH = "/app/settings/payment-accounts";
const NAMES: Record<PaymentProvider, string> = { stripe: "Stripe", adyen: "Adyen" };
const actor = (call: ConsoleCall) => ({ actor: "user" as const, actorId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null });
const providerOf = (form: FormData): PaymentProvider => {
  const provider = field(form, "provider");
  if (!isPaymentProvider(provider)) throw notFound();
  return provider;
};
/** What the page says after a change it redirected from (`?saved=stripe`). */
const doneNotice = (url: URL) => {
  for (const done of ["saved", "removed"] as const) {
    const provider = url.searchParams.get(done) ?? "";
    if (isPaymentProvider(provider)) return { done, provider };
  }
  return null;
};

const route = consoleRoute({
  permission: "settings.read",
  load: async (call) => {
    const [page, supplier] = await Promise.all([
      consolePaymentAccounts(call.app.db, call.app.config, call.supplier.id),
      supplierSettings(call.app.db, call.supplier.id),
    ]);
    return {
      locale: call.locale,
      manage: call.can("payments.accounts"),
      timeZone: supplier?.timeZone ?? "Europe/Stockholm",
      configured: page.configured,
      accounts: page.accounts,
      notice: doneNotice(new URL(call.request.url)),
    };
  },
  intents: {
    connect: {
      permission: "payments.accounts",
      run: async (call, form) => {
        const provider = providerOf(form);
        const result = await setPaymentAccountFromForm(call.app.db, call.app.config, {
          supplierId: call.supplier.id,
          provider,
          actor: actor(call),
          form: { get: (name) => field(form, name), getAll: (name) => form.getAll(name).filter((value): value is string => typeof value === "string") },
        });
        if (result.ok) return redirect(`${PATH}?saved=${provider}`, { status: 303, headers: NO_STORE });
        if (result.reason === "invalid") return json({ refusal: result.refusal }, 422, NO_STORE);
        if (result.reason === "not_configured") return json({ notConfigured: true }, 503, NO_STORE);
        throw notFound();
      },
    },
    remove: {
      permission: "payments.accounts",
      run: async (call, form) => {
        const provider = providerOf(form);
        // The forms are off until the operator sets the key; a hand-made POST is refused alike.
        if (call.app.config.credentialsKeys.length === 0) return json({ notConfigured: true }, 503, NO_STORE);
        // The first POST only asks: the page shows the confirming form (no JavaScript needed).
        if (field(form, "confirm") !== "yes") return json({ confirmRemove: provider }, 200, NO_STORE);
        const removed = await removePaymentAccount(call.app.db, { supplierId: call.supplier.id, provider, actor: actor(call) });
        if (!removed.ok) throw notFound();
        return redirect(`${PATH}?removed=${provider}`, { status: 303, headers: NO_STORE });
      },
    },
  },
});

export const loader = (args: LoaderFunctionArgs) => route.loader(args);
export const action = (args: ActionFunctionArgs) => route.action(args);

type Answer = { refusal?: AccountFormRefusal; confirmRemove?: PaymentProvider; notConfigured?: true } | undefined;

export default function PaymentAccountsPage() {
  const { locale, manage, timeZone, configured, accounts, notice } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer;
  const confirming = accounts.find((entry) => entry.account && entry.provider === answer?.confirmRemove);
  return (
    <main className="page page--wide">
      <h1>{t(locale, "console.paymentAccounts.title")}</h1>
      <p>{t(locale, "console.paymentAccounts.lead")}</p>
      {!configured || answer?.notConfigured ? <Notice tone="error">{t(locale, "console.paymentAccounts.notConfigured")}</Notice> : null}
      {notice ? <Notice>{t(locale, `console.paymentAccounts.${notice.done}`, { provider: NAMES[notice.provider] })}</Notice> : null}
      {answer?.refusal ? (
        <Notice tone="error">
          <a href={`#${answer.refusal.provider}-form`}>{t(locale, "actions.errorSummary")}</a>
        </Notice>
      ) : null}
      {manage && confirming ? <RemoveConfirmation locale={locale} provider={confirming.provider} /> : null}
      {!manage ? <p>{t(locale, "console.paymentAccounts.ownerOnly")}</p> : null}
      {accounts.map((entry) => (
        <ProviderSection
          key={entry.provider}
          locale={locale}
          timeZone={timeZone}
          entry={entry}
          manage={manage}
          configured={configured}
          refusal={answer?.refusal?.provider === entry.provider ? answer.refusal : undefined}
        />
      ))}
    </main>
  );
}

function RemoveConfirmation({ locale, provider }: { locale: Locale; provider: PaymentProvider }) {
  const name = NAMES[provider];
  return (
    <section className="console-card" aria-labelledby="remove-heading">
      <h2 id="remove-heading" className="console-card__title">{t(locale, "console.paymentAccounts.removeTitle", { provider: name })}</h2>
      <p>{t(locale, "console.paymentAccounts.removeLead", { provider: name })}</p>
      <form method="post" className="console-row-form">
        <input type="hidden" name="provider" value={provider} />
        <input type="hidden" name="confirm" value="yes" />
        <Submit intent="remove">{t(locale, "console.paymentAccounts.removeConfirm", { provider: name })}</Submit>
        <a className="button button--secondary" href={PATH}>{t(locale, "console.paymentAccounts.cancel")}</a>
      </form>
    </section>
  );
}

function ProviderSection(props: {
  locale: Locale; timeZone: string; entry: ConsolePaymentAccount; manage: boolean; configured: boolean; refusal?: AccountFormRefusal;
}) {
  const { locale, entry, manage, configured } = props;
  const { provider, account } = entry;
  const name = NAMES[provider];
  return (
    <section className="console-card payment-account" aria-labelledby={`${provider}-heading`}>
      <h2 id={`${provider}-heading`}>{name}</h2>
      <p><strong>{t(locale, account ? "console.paymentAccounts.connected" : "console.paymentAccounts.notConnected")}</strong></p>
      {account ? (
        <dl className="console-facts">
          {account.credentials ? <CredentialFacts locale={locale} provider={provider} credentials={account.credentials} /> : null}
          <div>
            <dt>{t(locale, "console.paymentAccounts.methods")}</dt>
            <dd>{account.methods.map((method) => t(locale, dictionaryKey(method))).join(", ")}</dd>
          </div>
          <div>
            <dt>{t(locale, "console.paymentAccounts.updated")}</dt>
            <dd>{formatDateTime(account.updatedAt, locale, props.timeZone)}</dd>
          </div>
        </dl>
      ) : null}
      {account && !account.credentials && configured ? <Notice tone="error">{t(locale, "console.paymentAccounts.sealed")}</Notice> : null}
      <h3>{t(locale, "console.paymentAccounts.webhookTitle", { provider: name })}</h3>
      {account ? (
        <>
          <dl className="payment-account__webhook">
            <div>
              <dt>{t(locale, "console.paymentAccounts.webhookUrl")}</dt>
              <dd><code className="copyable">{account.webhookUrl}</code></dd>
            </div>
          </dl>
          <ol className="console-list">
            {(provider === "stripe" ? STRIPE_STEPS : ADYEN_STEPS).map((key) => <li key={key}>{t(locale, key)}</li>)}
          </ol>
          <CopyButtonsScript locale={locale} />
        </>
      ) : (
        <p>{t(locale, "console.paymentAccounts.webhookLater", { provider: name })}</p>
      )}
      {manage ? <AccountForm locale={locale} entry={entry} configured={configured} refusal={props.refusal} /> : null}
      {manage && account ? (
        <form method="post" className="console-row-form">
          <input type="hidden" name="provider" value={provider} />
          <fieldset className="payment-account__fields" disabled={!configured}>
            <Submit intent="remove" secondary>{t(locale, "console.paymentAccounts.remove", { provider: name })}</Submit>
          </fieldset>
        </form>
      ) : null}
    </section>
  );
}

const STRIPE_STEPS: MessageKey[] = [1, 2, 3, 4].map((n) => `console.paymentAccounts.steps.stripe.${n}` as MessageKey);
const ADYEN_STEPS: MessageKey[] = [1, 2, 3, 4].map((n) => `console.paymentAccounts.steps.adyen.${n}` as MessageKey);

function CredentialFacts({ locale, provider, credentials }: { locale: Locale; provider: PaymentProvider; credentials: StripeAccountJson | AdyenAccountJson }) {
  const fact = (label: MessageKey, value: string, code = false) => (
    <div key={label}>
      <dt>{t(locale, label)}</dt>
      <dd>{code ? <code>{value}</code> : value}</dd>
    </div>
  );
  if (provider === "stripe") {
    const stripe = credentials as StripeAccountJson;
    return (
      <>
        {fact("console.paymentAccounts.mode", t(locale, `console.paymentAccounts.mode.${stripe.mode}`))}
        {fact("console.paymentAccounts.hint.secret_key", stripe.secret_key_hint, true)}
        {fact("console.paymentAccounts.hint.webhook_secret", stripe.webhook_secret_hint, true)}
      </>
    );
  }
  const adyen = credentials as AdyenAccountJson;
  return (
    <>
      {fact("console.paymentAccounts.mode", t(locale, `console.paymentAccounts.mode.${adyen.environment}`))}
      {fact("console.paymentAccounts.field.merchant_account", adyen.merchant_account)}
      {adyen.live_url_prefix ? fact("console.paymentAccounts.field.live_url_prefix", adyen.live_url_prefix) : null}
      {fact("console.paymentAccounts.hint.api_key", adyen.api_key_hint, true)}
      {fact("console.paymentAccounts.hint.hmac_key", adyen.hmac_key_hint, true)}
      {fact("console.paymentAccounts.field.notification_username", adyen.notification_username)}
    </>
  );
}

/** Connect, or replace every credential: secrets start empty each time; other values are kept. */
function AccountForm({ locale, entry, configured, refusal }: { locale: Locale; entry: ConsolePaymentAccount; configured: boolean; refusal?: AccountFormRefusal }) {
  const { provider, account } = entry;
  const name = NAMES[provider];
  const stored = account?.credentials && provider === "adyen" ? (account.credentials as AdyenAccountJson) : null;
  const current: Partial<Record<AccountField, string | string[]>> = refusal?.values ?? {
    methods: account?.methods ?? [providerMethods(provider)[0]],
    merchant_account: stored?.merchant_account ?? "",
    environment: stored?.environment ?? "test",
    live_url_prefix: stored?.live_url_prefix ?? "",
    notification_username: stored?.notification_username ?? "",
  };
  const value = (field: AccountField) => {
    const v = current[field];
    return typeof v === "string" ? v : undefined;
  };
  const error = (field: AccountField) => (refusal?.errors[field] ? t(locale, refusal.errors[field]!) : null);
  const id = (field: string) => `${provider}-${field}`;
  const input = (field: AccountField, secret: boolean, required = true) => (
    <Field
      key={field}
      id={id(field)}
      name={field}
      type={secret ? "password" : "text"}
      // new-password: a browser must not fill in the user's own console password here.
      autoComplete={secret ? "new-password" : "off"}
      required={required}
      label={t(locale, `console.paymentAccounts.field.${field}` as MessageKey)}
      hint={t(locale, `console.paymentAccounts.field.${field}.hint` as MessageKey)}
      error={error(field)}
      defaultValue={secret ? undefined : value(field)}
    />
  );
  const methods = current.methods ?? [];
  const methodsError = error("methods");
  return (
    <section aria-labelledby={`${provider}-form-heading`} id={`${provider}-form`}>
      <h3 id={`${provider}-form-heading`}>{t(locale, account ? "console.paymentAccounts.replace" : "console.paymentAccounts.connect", { provider: name })}</h3>
      {account ? <p>{t(locale, "console.paymentAccounts.replaceLead")}</p> : null}
      <form method="post">
        <fieldset className="payment-account__fields" disabled={!configured}>
          {refusal ? <p className="form-alert" role="alert">{t(locale, "actions.errorSummary")}</p> : null}
          <input type="hidden" name="provider" value={provider} />
          {provider === "stripe" ? (
            <>
              {input("secret_key", true)}
              {input("webhook_secret", true)}
            </>
          ) : (
            <>
              {input("api_key", true)}
              {input("merchant_account", false)}
              <div className="field">
                <label htmlFor={id("environment")}>{t(locale, "console.paymentAccounts.field.environment")}</label>
                <select
                  id={id("environment")}
                  name="environment"
                  defaultValue={value("environment") === "live" ? "live" : "test"}
                  aria-invalid={error("environment") ? true : undefined}
                  aria-describedby={error("environment") ? `${id("environment")}-error` : undefined}
                >
                  <option value="test">{t(locale, "console.paymentAccounts.mode.test")}</option>
                  <option value="live">{t(locale, "console.paymentAccounts.mode.live")}</option>
                </select>
                {error("environment") ? <span className="field-error" id={`${id("environment")}-error`}>{error("environment")}</span> : null}
              </div>
              {input("live_url_prefix", false, false)}
              {input("hmac_key", true)}
              {input("notification_username", false)}
              {input("notification_password", true)}
            </>
          )}
          <fieldset className="field field--group" aria-describedby={methodsError ? `${id("methods")}-error` : undefined}>
            <legend>{t(locale, "console.paymentAccounts.field.methods", { provider: name })}</legend>
            {providerMethods(provider).map((method) => (
              <label key={method} className="checkbox">
                <input type="checkbox" name="methods" value={method} defaultChecked={methods.includes(method)} />
                {t(locale, dictionaryKey(method))}
              </label>
            ))}
            {methodsError ? <span className="field-error" id={`${id("methods")}-error`}>{methodsError}</span> : null}
          </fieldset>
          <Submit intent="connect">
            {account ? t(locale, "console.paymentAccounts.replaceSubmit") : t(locale, "console.paymentAccounts.connectSubmit", { provider: name })}
          </Submit>
        </fieldset>
      </form>
    </section>
  );
}
