/**
 * Older runs as the reader scrolls. The work item's history is paged (24 candidates a page); its pager sits in
 * [data-load-more], outside the live region. When the "Older" link comes within 600 px of the viewport, that page is
 * fetched and its runs are added above the pager, whose link then points at the page after it (or goes, after the
 * last). Without JavaScript, or if a fetch fails, the link pages as before.
 */
import { partialFetch } from "./live";
import { localizeTimes } from "./time";

export function enhanceLoadMore(root: Document): void {
  const container = root.querySelector<HTMLElement>("[data-load-more]");
  if (!container || !("IntersectionObserver" in window)) return;
  let loading = false;
  const next = (): HTMLAnchorElement | null => container.querySelector<HTMLAnchorElement>(".pager a[rel=next]");

  const load = async (): Promise<void> => {
    const link = next();
    if (!link || loading) return;
    loading = true;
    try {
      const response = await fetch(link.href, { headers: { Accept: "text/html", ...partialFetch } });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const pager = container.querySelector(".pager");
      page.querySelectorAll("#history article.run").forEach((run) => {
        const imported = root.importNode(run, true) as HTMLElement;
        container.insertBefore(imported, pager);
        localizeTimes(imported);
      });
      // The reader is still on the first page: keep its pager, pointed at the page after the one just added.
      const further = page.querySelector<HTMLAnchorElement>("[data-load-more] .pager a[rel=next]");
      if (further) {
        link.href = further.href;
      } else {
        link.remove();
        if (pager && !pager.querySelector("a")) pager.remove();
      }
    } catch {
      // Offline: the link is still there to click.
    } finally {
      loading = false;
      watch();
    }
  };

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) void load();
  }, { rootMargin: "600px 0px" });
  const watch = (): void => {
    observer.disconnect();
    const link = next();
    if (link) observer.observe(link);
  };
  watch();
}
