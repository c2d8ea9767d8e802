// Progressive enhancement only: every page works without this script.
import { startLiveRegions } from "./live";
import { enhanceForms } from "./forms";
import { enhanceCompare } from "./compare";
import { enhanceModelCapabilities } from "./capabilities";

enhanceForms(document);
startLiveRegions(document);
enhanceCompare(document);
enhanceModelCapabilities(document);
