// Small behaviours shared by every page. CSRF for HTMX is set on <body hx-headers>, see base.html.
document.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("messages");
  if (!box) return;
  const status = event.detail.xhr.status;
  const p = document.createElement("p");
  p.className = "message error";
  p.textContent = status === 403 ? "You are not allowed to do that." : `The server answered ${status}. Nothing was changed; try again.`;
  box.replaceChildren(p);
});

// The collapsing navigation: below 900 px (portal.css) the sections fold behind the Menu button. The class
// "collapsible" is set here, so without script the sections simply stay open.
const navToggle = document.getElementById("nav-toggle");
if (navToggle) {
  const topbar = navToggle.closest(".topbar");
  const setOpen = (open) => {
    navToggle.setAttribute("aria-expanded", String(open));
    topbar.classList.toggle("open", open);
  };
  topbar.classList.add("collapsible");
  navToggle.addEventListener("click", () => setOpen(navToggle.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && topbar.classList.contains("open")) {
      setOpen(false);
      navToggle.focus();
    }
  });
}

// A table wider than a phone scrolls inside its own box (portal.css); one with nothing focusable inside takes
// focus itself, so keyboard users can scroll it too.
function focusScrollingTables() {
  for (const table of document.querySelectorAll("table.list")) {
    const scrolls = table.scrollWidth > table.clientWidth + 1 && !table.querySelector("a, button, input, select");
    if (scrolls) table.setAttribute("tabindex", "0");
    else if (table.getAttribute("tabindex") === "0") table.removeAttribute("tabindex");
  }
}
focusScrollingTables();
window.addEventListener("resize", focusScrollingTables);
document.addEventListener("htmx:afterSettle", focusScrollingTables);
