// Writes the generated OpenAPI document to a file (or stdout): for `npm run lint:openapi` and
// `npm run openapi:types`, which read the same document /api/v1/openapi.json serves.
import { writeFileSync } from "node:fs";
import { openApiDocument } from "../app/api/openapi/document.server";

const [target] = process.argv.slice(2);
const text = `${JSON.stringify(openApiDocument().document, null, 2)}\n`;
if (target) writeFileSync(target, text);
else process.stdout.write(text);
