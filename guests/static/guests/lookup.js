// Front-desk lookup: type to see matches, arrow keys to choose, Enter to open, Esc to close.
// Without JavaScript the box is an ordinary search form that opens the results page.
(function () {
  "use strict";
  const form = document.querySelector("[data-guest-lookup]");
  if (!form) return;
  const input = form.querySelector("[data-global-search]");
  const box = form.querySelector("#guest-lookup-results");

  function options() {
    return Array.from(box.querySelectorAll("[data-lookup-option]"));
  }
  function active() {
    return box.querySelector('[data-lookup-option][aria-selected="true"]');
  }
  function select(option) {
    options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function close() {
    box.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== box) return;
    const any = options().length > 0;
    input.setAttribute("aria-expanded", box.innerHTML.trim() ? "true" : "false");
    if (any) select(options()[0]);
  });

  input.addEventListener("keydown", function (event) {
    const list = options();
    const current = active();
    const index = current ? list.indexOf(current) : -1;
    if (event.key === "ArrowDown" && list.length) {
      event.preventDefault();
      select(list[Math.min(index + 1, list.length - 1)]);
    } else if (event.key === "ArrowUp" && list.length) {
      event.preventDefault();
      select(list[Math.max(index - 1, 0)]);
    } else if (event.key === "Enter" && current) {
      event.preventDefault();
      window.location.assign(current.href);
    } else if (event.key === "Escape") {
      close();
    }
  });

  input.addEventListener("input", function () {
    if (!input.value.trim()) close();
  });

  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
