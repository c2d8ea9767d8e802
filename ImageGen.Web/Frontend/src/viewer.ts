/**
 * The viewer's keys: ← and → go to the previous and next candidate, S stars, F makes final, C compares, Esc closes.
 * Each key presses the link or button the page already has (marked data-key), so without JavaScript the same things
 * are there to click. Keys typed into a field are left alone.
 */
export function enhanceViewer(root: Document): void {
  const viewer = root.querySelector<HTMLElement>("[data-viewer]");
  if (!viewer) return;
  root.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const control = viewer.querySelector<HTMLElement>(`[data-key="${key}"]`);
    if (!control) return;
    event.preventDefault();
    if (control instanceof HTMLButtonElement && control.form) {
      control.form.requestSubmit(control);
    } else {
      control.click();
    }
  });
}
