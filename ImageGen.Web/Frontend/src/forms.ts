/**
 * Submit buttons show a loading state, and a second submit of the same form while the first is in flight is
 * ignored. (The server also dedupes with the form's idempotency key, so this is comfort, not correctness.)
 */
export function enhanceForms(root: Document): void {
  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    const submitter = (event as SubmitEvent).submitter;
    if (submitter instanceof HTMLButtonElement) {
      submitter.setAttribute("aria-busy", "true");
      submitter.classList.add("is-loading");
      const loadingText = submitter.dataset.loadingText;
      if (loadingText) submitter.textContent = loadingText;
    }
  });

  // Coming back through the browser's history restores a page as it was left: clear the loading state.
  window.addEventListener("pageshow", () => {
    root.querySelectorAll<HTMLFormElement>("form[data-submitting]").forEach((form) => delete form.dataset.submitting);
    root.querySelectorAll<HTMLButtonElement>("button.is-loading").forEach((button) => {
      button.classList.remove("is-loading");
      button.removeAttribute("aria-busy");
    });
  });
}
