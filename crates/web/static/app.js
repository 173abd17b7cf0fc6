// billrecon's progressive enhancement: every form works without this file. With it, a form
// marked data-inplace posts in the background and its row is replaced by the server's answer
// (the same row the page would show after a reload); a refusal is shown beside the form.
"use strict";
document.addEventListener("submit", async (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-inplace")) return;
  ev.preventDefault();
  const row = form.closest("[data-row]");
  const msg = form.querySelector("[data-msg]");
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  try {
    const res = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "X-Billrecon-Fragment": "row" },
      credentials: "same-origin",
    });
    const text = await res.text();
    if (res.ok && row) {
      const t = document.createElement("template");
      t.innerHTML = text.trim();
      if (t.content.firstElementChild) row.replaceWith(t.content.firstElementChild);
      return;
    }
    const doc = new DOMParser().parseFromString(text, "text/html");
    const said = doc.querySelector("[data-msg]");
    if (msg) msg.textContent = said ? said.textContent : "Refused (" + res.status + ")";
  } catch (e) {
    if (msg) msg.textContent = "Not sent: " + e;
  } finally {
    if (button) button.disabled = false;
  }
});
document.addEventListener("click", (ev) => {
  const a = ev.target instanceof Element ? ev.target.closest("[data-print]") : null;
  if (a) { ev.preventDefault(); window.print(); }
});
// The employee's calls: as they tick, the server computes what they will owe (the rules'
// arithmetic) and the preview is replaced; without this file, a button asks for it. Only the
// answer to the latest tick is shown (answers can arrive out of order).
let previewAsked = 0;
document.addEventListener("change", async (ev) => {
  const box = ev.target;
  if (!(box instanceof HTMLInputElement) || box.name !== "personal") return;
  const form = box.form;
  const shown = document.querySelector("[data-preview]");
  if (!form || !shown) return;
  const body = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (k === "csrf" || k === "personal") body.append(k, v);
  const asked = ++previewAsked;
  try {
    const res = await fetch(form.action.replace(/\/attest$/, "/preview"), {
      method: "POST",
      body,
      headers: { "X-Billrecon-Fragment": "preview" },
      credentials: "same-origin",
    });
    const text = await res.text();
    if (!res.ok || asked !== previewAsked) return;
    const t = document.createElement("template");
    t.innerHTML = text.trim();
    const now = document.querySelector("[data-preview]");
    if (now && t.content.firstElementChild) now.replaceWith(t.content.firstElementChild);
  } catch (e) {
    /* the button still works */
  }
});
