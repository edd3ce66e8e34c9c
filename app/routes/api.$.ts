// Any path under /api/ that no route serves: problem+json 404 for every method and whatever
// Accept says, never the site's HTML page (a client reading problem+json would choke on it).
// Remix ranks this splat below every real route, so only unknown paths reach it.
import { problem } from "~/api/problem.server";

const unknownPath = () => problem(404, "Not found", "No API operation at this path; see /api/v1/openapi.json.");

export const loader = unknownPath;
export const action = unknownPath;
