// Copy buttons for the bank and Swish details, added by a small inline script (progressive
// enhancement: without JavaScript there is no dead button, and each value still selects whole
// with one tap). The page is otherwise script-free (no hydration); the CSP admits this one
// script by the response's nonce.
import { useNonce } from "~/components/nonce";
import { t, type Locale } from "~/i18n";

// Plain ES2017 for any phone browser. It works inside its own <section>: every `.copyable` value
// there gets a button that copies `data-copy` (the value as a bank app wants it) or the text.
const SCRIPT = `(function () {
  var script = document.currentScript, scope = script && script.closest("section");
  if (!scope) return;
  var labels = script.dataset, status = document.createElement("span");
  status.className = "visually-hidden"; status.setAttribute("aria-live", "polite");
  scope.appendChild(status);
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.className = "visually-hidden";
    document.body.appendChild(area); area.select();
    var done = document.execCommand("copy"); area.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  scope.querySelectorAll(".copyable").forEach(function (value) {
    var row = value.closest("div"), term = row && row.querySelector("dt");
    var button = document.createElement("button");
    button.type = "button"; button.className = "copy-button"; button.textContent = labels.copy;
    var name = document.createElement("span");
    name.className = "visually-hidden"; name.textContent = term ? " " + term.textContent : "";
    button.appendChild(name);
    button.addEventListener("click", function () {
      copy(value.dataset.copy || value.textContent.trim()).then(function () {
        button.firstChild.textContent = labels.copied;
        status.textContent = labels.copied + name.textContent;
        setTimeout(function () { button.firstChild.textContent = labels.copy; }, 2000);
      }, function () {});
    });
    value.insertAdjacentElement("afterend", button);
  });
  scope.querySelectorAll(".copy-hint").forEach(function (hint) { hint.textContent = labels.hint; });
  scope.classList.add("has-copy-buttons");
})();`;

export function CopyButtonsScript({ locale }: { locale: Locale }) {
  const nonce = useNonce();
  return (
    <script
      nonce={nonce || undefined}
      data-copy={t(locale, "payments.copy.button")}
      data-copied={t(locale, "payments.copy.done")}
      data-hint={t(locale, "payments.copy.hintScript")}
      dangerouslySetInnerHTML={{ __html: SCRIPT }}
    />
  );
}
