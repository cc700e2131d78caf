// Warns two minutes before an idle session ends, so that a reason being typed is not lost when the page is sent.
// Any request renews the session: "Stay signed in" makes one. Without JavaScript the page works as before.
const WARN_BEFORE_SECONDS = 120;
const dialog = document.getElementById("nav-timeout");
const seconds = Number(dialog?.dataset.seconds);

function signedOut() {
  const message = dialog.querySelector("[data-message]");
  message.textContent = "You have been signed out because nothing happened for a while. Anything not sent is lost: "
    + "copy it now if you need it, then sign in again.";
  const link = document.createElement("a");
  link.className = "govuk-button";
  link.href = dialog.dataset.signIn;
  link.textContent = "Sign in again";
  dialog.querySelector("[data-stay]").replaceWith(link);
  if (!dialog.open) dialog.showModal();
}

if (dialog && seconds > WARN_BEFORE_SECONDS) {
  let warning;
  let ending;
  const schedule = () => {
    clearTimeout(warning);
    clearTimeout(ending);
    warning = setTimeout(() => dialog.showModal(), (seconds - WARN_BEFORE_SECONDS) * 1000);
    ending = setTimeout(signedOut, seconds * 1000);
  };
  dialog.querySelector("[data-stay]").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepAlive, {
      method: "POST", headers: { "X-CSRFToken": dialog.dataset.csrf }, credentials: "same-origin", redirect: "manual",
    }).catch(() => null);
    if (response && response.ok) {
      dialog.close();
      schedule();
    } else {
      signedOut();
    }
  });
  schedule();
}
