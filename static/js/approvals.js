// Approvals queue: keep "select all" and the running totals of the ticked rows in step (issue 7: totals update
// as rows are selected). Sums are per currency: amounts in different currencies are never added together.
(() => {
  const boxes = () => Array.from(document.querySelectorAll("#approval-actions input[name=ids]"));

  // Money in cents, so 0.1 + 0.2 is 0.30 and not 0.30000000000000004.
  const cents = (text) => Math.round(parseFloat(text || "0") * 100);

  function updateTotals() {
    const out = document.getElementById("selection-totals");
    if (!out) return;
    const ticked = boxes().filter((box) => box.checked);
    if (ticked.length === 0) {
      out.textContent = "Nothing selected";
      return;
    }
    const byCurrency = new Map();
    let hours = 0;
    for (const box of ticked) {
      const currency = box.dataset.currency;
      byCurrency.set(currency, (byCurrency.get(currency) || 0) + cents(box.dataset.amount));
      hours += cents(box.dataset.hours);
    }
    const money = Array.from(byCurrency, ([currency, sum]) => `${(sum / 100).toFixed(2)} ${currency}`).join(" + ");
    out.textContent = `${ticked.length} selected · ${money} · ${(hours / 100).toFixed(2)} h`;
  }

  document.addEventListener("change", (event) => {
    if (event.target.id === "select-all") {
      for (const box of boxes()) box.checked = event.target.checked;
    }
    if (event.target.id === "select-all" || event.target.name === "ids") updateTotals();
  });
  // A swapped-in page starts with nothing ticked; say so.
  document.addEventListener("htmx:afterSettle", updateTotals);
  document.addEventListener("DOMContentLoaded", updateTotals);
})();
