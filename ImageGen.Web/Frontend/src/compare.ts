/**
 * The compare page: ← and → pick, S skips (not while typing a reason), and "Overlay" stacks the two images so
 * small differences show. Without JavaScript the buttons do the same.
 */
export function enhanceCompare(root: Document): void {
  const form = root.querySelector<HTMLFormElement>("form[data-compare]");
  if (!form) return;

  root.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const button = form.querySelector<HTMLButtonElement>(`button[data-key="${key}"]`);
    if (!button) return;
    event.preventDefault();
    form.requestSubmit(button);
  });

  const toggle = form.querySelector<HTMLButtonElement>("[data-overlay-toggle]");
  const pair = form.querySelector<HTMLElement>(".pair");
  toggle?.addEventListener("click", () => {
    const on = pair?.classList.toggle("overlay") ?? false;
    toggle.setAttribute("aria-pressed", String(on));
  });
}
