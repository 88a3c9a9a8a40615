// Progressive enhancement for narrow screens: the header's navigation folds behind a "Menu"
// button, and the catalogue's filters start folded (on wide screens they start open). Without
// this file everything is shown.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const header = document.querySelector(".site-header");
  if (toggle && header) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = header.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  if (window.matchMedia("(min-width: 641px)").matches) {
    for (const details of document.querySelectorAll("details[data-open-on-wide-screens]")) {
      details.open = true;
    }
  }
});
