// Lint encodes the house rules that used to be comments: the layering (who may touch the database and
// tokens), the token brands, and the promise discipline a security product needs (no forgotten awaits).
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

const DB = ["@/lib/db", "**/lib/db", "../db", "../../db", "@prisma/client", "pg", "@/lib/audit/audit-pool"];
const BRAND_CAST = {
  selector: "TSAsExpression > TSTypeReference[typeName.name=/^T(UserAccess|ServiceAccount|ExchangeSubject)Token$/]",
  message: "Token brands are minted only in lib/oauth (asUserAccessToken / asServiceAccountToken).",
};
// `db().grant.update(…)`, `tx.revocation.create(…)`…: a write to a Grant or Revocation row.
const GRANT_WRITE = {
  selector:
    "CallExpression[callee.property.name=/^(create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)$/][callee.object.property.name=/^(grant|revocation)$/]",
  message: "Grant and Revocation rows are written only by lib/grants (the grant lifecycle's one owner): call a function there.",
};
const BRAND_MINTERS = { name: "@/lib/oauth/token-types", importNames: ["asUserAccessToken", "asServiceAccountToken"] };
const brandPattern = (group) => ({
  group,
  importNames: ["asUserAccessToken", "asServiceAccountToken"],
  message: "Only lib/oauth mints token brands (it is where Keycloak hands out tokens).",
});

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "test-results/**",
      "playwright-report/**",
      ".test-reports/**",
      "reports/**",
      ".stryker-tmp/**",
      "next-env.d.ts",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "separate-type-imports", disallowTypeAnnotations: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Values from JSON and zod are typed where they enter; these would flag every Prisma Json column.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true, allowNullish: true }],
      "@typescript-eslint/only-throw-error": "error",
      // Its autofix removed casts tsc needs on Prisma's generated Json input types: not trusted.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      "no-console": "error",
      // async for an interface (a recorder, a readiness probe) is fine without an await inside.
      "@typescript-eslint/require-await": "off",
      "no-restricted-syntax": ["error", BRAND_CAST],
      "no-restricted-imports": [
        "error",
        {
          paths: [BRAND_MINTERS].map((p) => ({ ...p, message: "Only lib/oauth mints token brands." })),
          patterns: [brandPattern(["**/oauth/token-types"])],
        },
      ],
    },
  },
  {
    // Every write to a grant goes through lib/grants (README "The grant lifecycle").
    files: ["**/*.{ts,tsx}"],
    ignores: ["lib/grants/**"],
    rules: { "no-restricted-syntax": ["error", BRAND_CAST, GRANT_WRITE] },
  },
  {
    // Pages, routes and components reach data through lib/services and lib/auth, never the database.
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: DB.filter((p) => !p.includes("*")).map((name) => ({
            name,
            message: "app/ and components/ never touch the database: call a service in lib/services.",
          })),
          patterns: [
            {
              group: ["**/lib/db", "**/lib/grants/*", "**/lib/vault/*", "**/lib/oauth/*"],
              message: "app/ and components/ go through lib/services (the grant module, vault and OAuth client are below it).",
            },
            brandPattern(["**/oauth/token-types"]),
          ],
        },
      ],
    },
  },
  {
    // lib/oauth is pure protocol: it talks to Keycloak and nothing else.
    // It may name the audit event types (callers inject the recorder), never import storage.
    files: ["lib/oauth/**/*.ts"],
    ignores: ["lib/oauth/**/__tests__/**"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: DB.filter((p) => !p.includes("*")).map((name) => ({ name, message: "lib/oauth is pure protocol: no database." })),
          patterns: [
            {
              group: ["**/db", "**/vault/*", "**/grants/*", "**/services/*", "**/audit/*"],
              allowTypeImports: true,
              message: "lib/oauth is pure protocol: it never imports storage, the vault or the grant module.",
            },
          ],
        },
      ],
      "no-restricted-syntax": "off",
    },
  },
  {
    // The token module restores the tokens lib/oauth minted from the vault, so it may re-brand them.
    files: ["lib/grants/get-delegated-token.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Tests and fixtures build whatever tokens and rows they need.
    files: ["**/__tests__/**", "test/**", "e2e/**", "bench/**", "scripts/**"],
    rules: {
      "no-restricted-imports": "off",
      "no-restricted-syntax": "off",
      "no-console": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  { files: ["**/*.mjs", "**/*.js", "**/*.cjs"], ...tseslint.configs.disableTypeChecked },
  prettier,
);
