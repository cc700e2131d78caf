// Warns two minutes before an idle session ends, so that a reason being typed is not lost when the page is sent.
// Any request renews the session: "Stay signed in" (or Esc) makes one. Tabs share when the session was last renewed
// (a time, in this browser's storage), so a tab left idle while another is used neither warns nor says the session
// ended. Without JavaScript the page works as before.
const WARN_BEFORE_SECONDS = 120;
const RENEWED = "navigator-session-renewed";
const dialog = document.getElementById("nav-timeout");
const seconds = Number(dialog?.dataset.seconds);

function renewedAt() {
  return Number(window.localStorage.getItem(RENEWED)) || 0;
}

function renewed() {
  window.localStorage.setItem(RENEWED, String(Date.now()));
}

function signedOut() {
  dialog.querySelector("#nav-timeout-title").textContent = "You have been signed out";
  dialog.querySelector("#nav-timeout-message").textContent = "Nothing was sent from Navigator for a while, so you "
    + "were signed out. Anything not sent is lost from Navigator: close this message to copy it from the page, then "
    + "sign in again.";
  const group = dialog.querySelector(".govuk-button-group");
  const signIn = document.createElement("a");
  signIn.className = "govuk-button";
  signIn.href = dialog.dataset.signIn;
  signIn.textContent = "Sign in again";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "govuk-button govuk-button--secondary";
  close.textContent = "Close";
  close.addEventListener("click", () => dialog.close());
  group.replaceChildren(signIn, close);
  if (!dialog.open) dialog.showModal();
  dialog.querySelector("#nav-timeout-title").focus();
}

if (dialog && seconds > WARN_BEFORE_SECONDS) {
  let warning;
  let ending;
  let ended = false;
  const schedule = () => {
    clearTimeout(warning);
    clearTimeout(ending);
    const left = renewedAt() + seconds * 1000 - Date.now();
    warning = setTimeout(() => dialog.showModal(), left - WARN_BEFORE_SECONDS * 1000);
    ending = setTimeout(() => {
      if (renewedAt() + seconds * 1000 > Date.now()) {
        schedule(); // another tab renewed the session meanwhile
      } else {
        ended = true;
        signedOut();
      }
    }, left);
  };
  const stay = async () => {
    const response = await fetch(dialog.dataset.keepAlive, {
      method: "POST", headers: { "X-CSRFToken": dialog.dataset.csrf }, credentials: "same-origin", redirect: "manual",
    }).catch(() => null);
    if (response && response.ok) {
      renewed();
      dialog.close();
      schedule();
    } else {
      ended = true;
      signedOut();
    }
  };
  dialog.querySelector("[data-stay]").addEventListener("click", stay);
  dialog.addEventListener("cancel", (event) => { // Esc: the natural way to dismiss a warning keeps the session too
    if (!ended) {
      event.preventDefault();
      stay();
    }
  });
  document.addEventListener("navigator:session-renewed", () => { // a request the page made in the background
    if (!ended) {
      renewed();
      if (dialog.open) dialog.close();
      schedule();
    }
  });
  window.addEventListener("storage", (event) => {
    if (event.key === RENEWED && !ended) {
      if (dialog.open) dialog.close();
      schedule();
    }
  });
  renewed();
  schedule();
}
