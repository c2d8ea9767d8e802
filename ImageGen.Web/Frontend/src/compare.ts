/**
 * The compare page. ← and → pick, S skips (not while typing a reason), Z switches between fit and 100 % (the two frames
 * scroll together), O stacks the pair with a slider: left of the line the left image, right of it the right one. After a
 * pick the next pair is fetched and swapped in without a reload. Without JavaScript the buttons post the form and the
 * page reloads with the next pair.
 */
export function enhanceCompare(root: Document): void {
  if (!root.querySelector("[data-compare-region]")) return;
  root.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const form = root.querySelector<HTMLFormElement>("form[data-compare]");
    if (!form) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    // In a focused image frame (at 100 %) the arrow keys scroll the image, as in any scrolling region.
    if (key.startsWith("Arrow") && target instanceof Element && target.closest(".frame")) return;
    const control = form.querySelector<HTMLButtonElement>(`button[data-key="${key}"]`);
    if (!control) return;
    event.preventDefault();
    if (control.type === "submit") form.requestSubmit(control);
    else control.click();
  });
  wire(root);
}

function wire(root: Document): void {
  const form = root.querySelector<HTMLFormElement>("form[data-compare]");
  if (!form) return;
  const stage = form.querySelector<HTMLElement>(".compare-stage");
  const zoom = form.querySelector<HTMLButtonElement>("[data-zoom-toggle]");
  const overlay = form.querySelector<HTMLButtonElement>("[data-overlay-toggle]");
  const split = form.querySelector<HTMLInputElement>("[data-split]");
  const overlayNote = form.querySelector<HTMLElement>(".overlay-only");
  // Zoom and overlay are the script's: without it the tools stay hidden rather than doing nothing.
  form.querySelectorAll<HTMLElement>("[data-needs-script]").forEach((tool) => { tool.hidden = false; });

  zoom?.addEventListener("click", () => {
    const on = stage?.classList.toggle("actual") ?? false;
    zoom.setAttribute("aria-pressed", String(on));
  });
  overlay?.addEventListener("click", () => {
    const on = stage?.classList.toggle("overlay") ?? false;
    overlay.setAttribute("aria-pressed", String(on));
    if (split) split.hidden = !on;
    if (overlayNote) overlayNote.hidden = !on;
  });
  split?.addEventListener("input", () => {
    stage?.style.setProperty("--split", `${split.value}%`);
    split.setAttribute("aria-valuetext", `${split.value} % left, ${100 - Number(split.value)} % right`);
  });

  // At 100 % each frame scrolls; keep them on the same spot so the same detail is side by side.
  const frames = Array.from(form.querySelectorAll<HTMLElement>(".frame"));
  let syncing = false;
  frames.forEach((frame) => frame.addEventListener("scroll", () => {
    if (syncing) return;
    syncing = true;
    frames.forEach((other) => { if (other !== frame) { other.scrollLeft = frame.scrollLeft; other.scrollTop = frame.scrollTop; } });
    syncing = false;
  }));

  form.addEventListener("submit", async (event) => {
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    if (form.dataset.native !== undefined || !submitter || submitter.type !== "submit") return;
    event.preventDefault();
    const body = new FormData(form, submitter);
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    let response: Response;
    try {
      response = await fetch(form.action || window.location.href, { method: "POST", body, redirect: "follow" });
    } catch {
      // The pick never reached the server: post it the ordinary way, with the same button.
      form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      form.dataset.native = "";
      form.requestSubmit(submitter);
      return;
    }
    // The server has the pick now: never post it again; show what it answered, swapped in, else by loading it.
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const next = fresh.querySelector("[data-compare-region]");
    const current = root.querySelector("[data-compare-region]");
    if (!response.ok || !next || !current) {
      window.location.assign(response.url);
      return;
    }
    current.replaceWith(document.importNode(next, true));
    wire(root);
  });
}
