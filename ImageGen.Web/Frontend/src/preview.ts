/**
 * The brand form's live preview: while the Markdown is typed, the form is posted to the page's Preview handler (the
 * same renderer the brand page uses, so the preview is what will be stored and shown) and the answer replaces the
 * preview. Debounced; an answer for older text never overwrites a newer one. Without JavaScript the preview shows
 * the text as it was when the page loaded.
 */
const DELAY_MS = 300;

export function enhancePreview(root: Document): void {
  root.querySelectorAll<HTMLTextAreaElement>("textarea[data-preview-into]").forEach((textarea) => {
    const target = root.getElementById(textarea.dataset.previewInto ?? "");
    const form = textarea.form;
    if (!target || !form) return;
    let timer = 0;
    let sent = 0;
    textarea.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const mine = ++sent;
        const url = new URL(form.action || window.location.href);
        url.searchParams.set("handler", "Preview");
        try {
          const response = await fetch(url, { method: "POST", body: new FormData(form) });
          if (response.ok && mine === sent) target.innerHTML = await response.text();
        } catch {
          // Offline: the preview waits for the next keystroke.
        }
      }, DELAY_MS);
    });
  });
}
