// Progressive enhancement only: every page works without this script.
import { startLiveRegions } from "./live";
import { enhanceForms } from "./forms";

enhanceForms(document);
startLiveRegions(document);
