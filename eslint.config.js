import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", ".cache/", ".data/", "node_modules/", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Routes stay thin: they never talk to drizzle directly.
    files: ["app/routes/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["drizzle-orm", "drizzle-orm/*", "postgres", "../../db/*"] }],
    },
  },
  {
    // Domain modules are pure: no framework, no I/O.
    files: ["app/domain/**"],
    ignores: ["app/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["react", "@remix-run/*", "drizzle-orm", "drizzle-orm/*", "postgres", "node:fs", "node:net", "node:http", "~/models/*", "~/services/*"] },
      ],
    },
  },
);
