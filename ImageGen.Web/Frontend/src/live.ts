/**
 * Live updates without a reload. A page names its change marker with data-live-url (and the marker it was rendered
 * with in data-live-version). While the tab is visible the page listens to `<url>/events` (Server-Sent Events: the
 * server pushes the marker when it moves); then the page is fetched again and each [data-live-region] element is
 * morphed into its fresh copy (idiomorph: only the nodes that differ change, so images, focus and scroll stay).
 * A hidden tab closes its stream (browsers allow few connections per server) and catches up when shown again.
 */
import { Idiomorph } from "idiomorph";
import { localizeTimes } from "./time";

export function startLiveRegions(root: Document): void {
  const source = root.querySelector<HTMLElement>("[data-live-url]");
  const url = source?.dataset.liveUrl;
  if (!source || !url) return;
  let version = source.dataset.liveVersion ?? "";
  let events: EventSource | null = null;
  const refresh = coalesced(() => refreshRegions(root));

  const open = (): void => {
    if (events) return;
    events = new EventSource(`${url}/events?since=${encodeURIComponent(version)}`);
    events.addEventListener("change", (event) => {
      const next = (event as MessageEvent<string>).data;
      if (next === version) return;
      version = next;
      void refresh();
    });
  };
  const close = (): void => {
    events?.close();
    events = null;
  };

  root.addEventListener("visibilitychange", () => (root.hidden ? close() : open()));
  // Leaving the page (or going into the back/forward cache) closes the stream; coming back from that cache reopens it.
  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", () => {
    if (!root.hidden) open();
  });
  if (!root.hidden) open();
}

/** Runs a task at most once at a time; calls while it runs make it run once more after, with the newest state. */
function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await task();
        } catch {
          // Offline or restarting: the next change tries again.
        }
      } while (again);
      running = null;
    })();
    return running;
  };
  return run;
}

// Marks the page's own fetches, so they leave a one-time message for the page the reader loads (PartialFetchTempData.cs).
export const partialFetch = { "X-ImageGen-Partial": "1" };

async function refreshRegions(root: Document): Promise<void> {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html", ...partialFetch }, cache: "no-store" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  root.querySelectorAll<HTMLElement>("[data-live-region]").forEach((region) => {
    const replacement = region.id ? fresh.getElementById(region.id) : null;
    if (!replacement) return;
    Idiomorph.morph(region, replacement, { morphStyle: "outerHTML", ignoreActiveValue: true });
    const morphed = region.id ? root.getElementById(region.id) : null;
    if (morphed) localizeTimes(morphed);
  });
}
