/**
 * The generate form shows only what the chosen models honour: background and quality fields are hidden (and disabled,
 * so they send nothing) when no chosen model takes them, and the references say so when a chosen model is text only.
 * The server validates with the same capability table, so this is a convenience, never the check.
 */
export function enhanceModelCapabilities(root: Document): void {
  const select = root.querySelector<HTMLSelectElement>("select[name='Generate.Models']");
  if (!select) return;
  const note = root.querySelector<HTMLElement>("[data-text-only-note]");

  const toggle = (name: string, show: boolean): void => {
    root.querySelectorAll<HTMLElement>(`[data-capability='${name}']`).forEach((field) => {
      field.hidden = !show;
      field.querySelectorAll<HTMLSelectElement | HTMLInputElement>("select, input").forEach((control) => {
        control.disabled = !show;
      });
    });
  };

  const update = (): void => {
    const chosen = Array.from(select.selectedOptions);
    toggle("transparency", chosen.some((o) => o.dataset.transparency === "true"));
    toggle("quality", chosen.some((o) => (o.dataset.qualities ?? "") !== ""));
    if (note) {
      const textOnly = chosen.filter((o) => Number(o.dataset.maxImages ?? "0") === 0).map((o) => o.textContent?.trim() ?? "");
      note.hidden = textOnly.length === 0;
      note.textContent = textOnly.length === 0 ? "" : `Text only, so references are not sent to: ${textOnly.join(", ")}. Uncheck them or choose another model.`;
    }
  };

  select.addEventListener("change", update);
  update();
}
