// Copy buttons: <button type="button" data-copy="text">. One listener for the page (no inline handlers), so
// buttons swapped in by HTMX work too; nothing is sent to the server, the text goes to the clipboard only.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Copy failed: select the text instead";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});
