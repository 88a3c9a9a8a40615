// Progressive enhancement: turns a multiple <select data-skill-picker> (every ESCO skill the
// portal ships) into a type-ahead search with the chosen skills listed as removable buttons.
// The <select> stays in the form (hidden) and is what is submitted; without this file it is
// used directly.
document.addEventListener("DOMContentLoaded", () => {
  const MAX_RESULTS = 12;
  for (const select of document.querySelectorAll("select[data-skill-picker]")) {
    const texts = JSON.parse(document.getElementById("skill-picker-texts").textContent);
    const picker = document.createElement("div");
    picker.className = "skill-picker";
    const searchId = `${select.id}-search`;
    const make = (tag, properties = {}) => Object.assign(document.createElement(tag), properties);
    const searchLabel = make("label", {htmlFor: searchId, textContent: texts.search});
    const search = make("input", {id: searchId, type: "search", autocomplete: "off"});
    const results = make("ul", {className: "skill-picker-results"});
    results.setAttribute("aria-live", "polite");
    const chosenLabel = make("p", {className: "skill-picker-chosen-label", textContent: texts.chosen});
    const chosen = make("ul", {className: "skill-picker-chosen"});
    picker.append(searchLabel, search, results, chosenLabel, chosen);
    const options = Array.from(select.options);
    const button = (label, onClick) => {
      const element = document.createElement("button");
      element.type = "button";
      element.className = "button button-small button-secondary";
      element.textContent = label;
      element.addEventListener("click", onClick);
      return element;
    };
    const renderChosen = () => {
      chosen.replaceChildren();
      for (const option of options.filter((o) => o.selected)) {
        const item = document.createElement("li");
        const remove = button(`${option.text} ×`, () => {
          option.selected = false;
          renderChosen();
          renderResults();
          search.focus();
        });
        remove.setAttribute("aria-label", `${texts.remove} ${option.text}`);
        item.append(remove);
        chosen.append(item);
      }
      if (!chosen.children.length) {
        const none = document.createElement("li");
        none.className = "meta";
        none.textContent = texts.none;
        chosen.append(none);
      }
    };
    const renderResults = () => {
      results.replaceChildren();
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      if (!words.length) return;
      const matches = options
        .filter((o) => !o.selected && words.every((w) => o.text.toLowerCase().includes(w)))
        .slice(0, MAX_RESULTS);
      for (const option of matches) {
        const item = document.createElement("li");
        item.append(button(`+ ${option.text}`, () => {
          option.selected = true;
          renderChosen();
          renderResults();
          search.focus();
        }));
        results.append(item);
      }
      if (!matches.length) {
        const none = document.createElement("li");
        none.className = "meta";
        none.textContent = texts.noMatch;
        results.append(none);
      }
    };
    search.addEventListener("input", renderResults);
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();  // never submits the whole programme
    });
    select.hidden = true;
    const label = document.querySelector(`label[for="${select.id}"]`);
    if (label) label.hidden = true;
    const help = document.getElementById(`${select.id}_helptext`);
    if (help) help.hidden = true;
    select.after(picker);
    renderChosen();
  }
});
