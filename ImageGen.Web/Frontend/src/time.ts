/**
 * One date and time format: every <time datetime> the server wrote (in its own yyyy-MM-dd HH:mm:ss) is rewritten in
 * the reader's locale, to the minute; the exact time stays in its title, shown on hover. Run again after live updates.
 */
const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function localizeTimes(root: Document | Element): void {
  root.querySelectorAll<HTMLTimeElement>("time[datetime]:not([data-localized])").forEach((element) => {
    const at = new Date(element.dateTime);
    if (Number.isNaN(at.getTime())) return;
    element.textContent = format.format(at);
    element.dataset.localized = "";
  });
}
