// Progressive enhancement: fills a page address from the title as it is typed, until the person
// edits the address. Without this file the server makes the address from the title.
document.addEventListener("DOMContentLoaded", () => {
  for (const slugInput of document.querySelectorAll("input[data-slug-from]")) {
    const source = document.getElementById(slugInput.dataset.slugFrom);
    if (!source) continue;
    let edited = slugInput.value !== "";
    slugInput.addEventListener("input", () => { edited = slugInput.value !== ""; });
    source.addEventListener("input", () => {
      if (edited) return;
      slugInput.value = source.value
        .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
        .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
        .slice(0, 72).replace(/-+$/, "");
    });
  }
});
