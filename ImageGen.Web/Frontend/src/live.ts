/**
 * Live updates without a reload. A page marks a change marker URL with data-live-url (and the marker it was
 * rendered with in data-live-version). While the tab is visible the marker is polled; when it moves, the
 * page is fetched again and each [data-live-region] element is swapped for its fresh copy (matched by id).
 */
import { localizeTimes } from "./time";

const ACTIVE_INTERVAL_MS = 1500;

interface LiveVersion {
  version: string;
}

export function startLiveRegions(root: Document): void {
  const source = root.querySelector<HTMLElement>("[data-live-url]");
  if (!source) return;
  const url = source.dataset.liveUrl;
  let version = source.dataset.liveVersion ?? "";
  if (!url) return;

  const poll = async (): Promise<void> => {
    if (!root.hidden) {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
        if (response.ok) {
          const body = (await response.json()) as LiveVersion;
          if (body.version !== version) {
            version = body.version;
            await refreshRegions(root);
          }
        }
      } catch {
        // Offline or restarting: try again at the next tick.
      }
    }
    window.setTimeout(poll, ACTIVE_INTERVAL_MS);
  };
  window.setTimeout(poll, ACTIVE_INTERVAL_MS);
}

async function refreshRegions(root: Document): Promise<void> {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  root.querySelectorAll<HTMLElement>("[data-live-region]").forEach((region) => {
    const replacement = region.id ? fresh.getElementById(region.id) : null;
    if (replacement) {
      const imported = document.importNode(replacement, true) as HTMLElement;
      region.replaceWith(imported);
      localizeTimes(imported);
    }
  });
}
