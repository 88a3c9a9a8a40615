// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  setUpCopyButtons();
});

// "Copy link" buttons: hidden without JavaScript (the address is shown next to them); the
// outcome is announced through one polite live region, so screen readers hear it too.
function setUpCopyButtons() {
  const buttons = document.querySelectorAll("button[data-copy]");
  if (!buttons.length) return;
  const announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  announcer.id = "copy-announcer";
  document.body.append(announcer);
  for (const button of buttons) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      // A path is copied as the full address the reader would paste into a message.
      const copied = await copyText(new URL(button.dataset.copy, window.location.href).href);
      announcer.textContent = "";
      // A fresh text node after clearing makes repeated copies announced each time.
      window.setTimeout(() => {
        announcer.textContent = copied ? button.dataset.copied : button.dataset.copyFailed;
      }, 50);
    });
  }
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers and insecure origins: copy through a selected, off-screen text field.
    const field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.append(field);
    field.select();
    const copied = document.execCommand("copy");
    field.remove();
    return copied;
  }
}
