// The layering of docs/ARCHITECTURE.md, checked by the linter: eslint.config.js spreads this list
// into its own (`...architecture`). Dependencies point one way: routes → features → platform/api →
// domain; a feature's db/ folder imports no use case; the platform and the API's plumbing import
// no feature; domain modules import nothing with I/O or a framework. Files are classified by
// eslint-plugin-boundaries (imports resolved through tsconfig's paths, so `~/…` and relative
// imports are judged alike); outside packages are banned with core no-restricted-imports.
import boundaries from "eslint-plugin-boundaries";

const DATABASE_PACKAGES = ["drizzle-orm", "drizzle-orm/*", "postgres"];

/** Every internal element kind; the first pattern a file matches decides its kind. */
const elements = [
  { type: "feature-db", pattern: "app/features/*/db/**", partialMatch: false, capture: ["feature"] },
  { type: "platform-db", pattern: "app/platform/**/db/**", partialMatch: false },
  { type: "api-db", pattern: "app/api/db/**", partialMatch: false },
  { type: "feature", pattern: "app/features/*/**", partialMatch: false, capture: ["feature"] },
  { type: "platform", pattern: "app/platform/**", partialMatch: false },
  // The OpenAPI document gathers every feature's schemas: it is the API's composition root.
  { type: "api-document", pattern: "app/api/openapi/**", partialMatch: false },
  { type: "api", pattern: "app/api/**", partialMatch: false },
  { type: "domain", pattern: "app/domain/**", partialMatch: false },
  { type: "route", pattern: "app/routes/**", partialMatch: false },
  { type: "component", pattern: "app/components/**", partialMatch: false },
  { type: "schema", pattern: "db/**", partialMatch: false },
];

const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });

/** @type {import("eslint").Linter.Config[]} */
const architecture = [
  {
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts"],
    ignores: ["**/*.test.{ts,tsx}"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": elements,
      "boundaries/include": ["app/**/*", "db/**/*"],
      "import/resolver": { typescript: { project: "tsconfig.json", alwaysTryTypes: true } },
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "allow",
          policies: [
            {
              // Routes stay thin: no query of their own, no database handle, no feature's db/.
              from: { element: { type: "route" } },
              disallow: to("schema", "feature-db", "platform-db", "api-db"),
            },
            {
              // A db/ folder holds queries: it may use the schema, the domain, other db/ folders
              // and the platform's helpers, never a use case, a route or the API.
              from: { element: { types: { anyOf: ["feature-db", "platform-db", "api-db"] } } },
              disallow: to("feature", "route", "component", "api", "api-document"),
            },
            {
              // The platform is below every feature: the job queue, forms, audit events. It may
              // use the API's plumbing (a JSON response), which knows no feature either.
              from: { element: { types: { anyOf: ["platform", "platform-db"] } } },
              disallow: to("feature", "feature-db", "route", "api-document"),
            },
            {
              // The API's plumbing knows no feature (the OpenAPI document excepted, above).
              from: { element: { types: { anyOf: ["api", "api-db"] } } },
              disallow: to("feature", "feature-db", "route"),
            },
            {
              // Domain modules are pure TypeScript.
              from: { element: { type: "domain" } },
              disallow: to("feature", "feature-db", "platform", "platform-db", "api", "api-db", "api-document", "route", "component", "schema"),
            },
            {
              // Components are presentational: no data access.
              from: { element: { type: "component" } },
              disallow: to("feature-db", "platform-db", "api-db", "schema"),
            },
          ],
        },
      ],
    },
  },
  {
    // Routes never talk to the database driver or the query builder.
    files: ["app/routes/**"],
    rules: { "no-restricted-imports": ["error", { patterns: DATABASE_PACKAGES }] },
  },
  {
    // Domain modules: no framework, no I/O.
    files: ["app/domain/**"],
    ignores: ["app/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["react", "@remix-run/*", ...DATABASE_PACKAGES, "node:fs", "node:net", "node:http", "pg-boss", "pino"] },
      ],
    },
  },
];

export default architecture;
