// GRC front-end helpers. Pages work without JavaScript; this only makes them quicker to use.
(function () {
  "use strict";
  // "/" focuses the front-desk search from anywhere, as in most desk tools.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) return;
    const search = document.querySelector("[data-global-search]");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });
})();
