// Keeps a running task's page up to date without reloading it, so that focus, the reading position and a screen
// reader stay where they are (a reload every few seconds took them back to the top). It asks for the same page
// again, which is already scoped to the task's owner, and puts in its status rows; they are a polite live region.
// When the task has finished it also puts in what comes next, such as "See the result", once. Without JavaScript
// the page offers a Refresh link instead.
const EVERY_MILLISECONDS = 3000;
const state = document.getElementById("task-state");
const next = document.getElementById("task-next");
const withUpdates = next.querySelector("[data-with-updates]");
const withoutUpdates = next.querySelector("[data-without-updates]");

function showUpdating(updating) {
  withUpdates.hidden = !updating;
  withoutUpdates.hidden = updating;
}

function putInChangedRows(fresh) {
  for (const row of fresh.querySelectorAll(".govuk-summary-list__row[id]")) {
    const shown = document.getElementById(row.id);
    if (!shown) {
      state.querySelector(".govuk-summary-list").append(row);
    } else if (shown.outerHTML !== row.outerHTML) {
      shown.replaceWith(row);
    }
  }
}

function putInWhatComesNext(fresh) {
  const hadFocus = next.contains(document.activeElement);
  next.replaceWith(fresh);
  if (hadFocus) fresh.querySelector("a, button")?.focus();
}

async function update() {
  const response = await fetch(window.location.pathname, { credentials: "same-origin" });
  if (!response.ok || response.redirected) return "failed"; // signed out, or the task is gone
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const freshState = page.getElementById("task-state");
  const freshNext = page.getElementById("task-next");
  if (!freshState || !freshNext) return "failed";
  document.dispatchEvent(new Event("navigator:session-renewed"));
  putInChangedRows(freshState);
  if (freshState.hasAttribute("data-running")) return "running";
  putInWhatComesNext(freshNext);
  return "finished";
}

async function poll() {
  const outcome = await update().catch(() => "failed"); // offline
  if (outcome === "running") {
    setTimeout(poll, EVERY_MILLISECONDS);
  } else if (outcome === "failed") {
    showUpdating(false);
  }
}

showUpdating(true);
setTimeout(poll, EVERY_MILLISECONDS);
