// Progressive enhancement only: every page works without this script.
import { startLiveRegions } from "./live";
import { enhanceForms } from "./forms";
import { enhanceCompare } from "./compare";
import { enhanceModelCapabilities } from "./capabilities";
import { enhanceViewer } from "./viewer";
import { localizeTimes } from "./time";
import { enhancePreview } from "./preview";
import { enhanceLoadMore } from "./more";

enhanceForms(document);
startLiveRegions(document);
enhanceCompare(document);
enhanceModelCapabilities(document);
enhanceViewer(document);
localizeTimes(document);
enhancePreview(document);
enhanceLoadMore(document);
