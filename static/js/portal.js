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
