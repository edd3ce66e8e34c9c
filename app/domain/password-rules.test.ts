import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-rules";

describe("console password rules (security C1)", () => {
  it.each([
    ["short1!", "too_short"],
    ["elva tecken", "too_short"],
    ["x".repeat(201), "too_long"],
    ["Password1234", "common"],
    ["password!!!!2024", "common"],
    ["qwertyuiop123", "common"],
    ["123456789012", "common"],
    ["zzzzzzzzzzzzzz", "common"],
    ["Lösenord2024!!", "common"],
    ["anna.svensson99", "common", "anna.svensson@example.com"],
    ["blåbär-cykel-hängmatta", null],
    ["correct horse battery", null],
  ] as const)("%s → %s", (password, problem, email?: string) => {
    expect(passwordProblem(password, email)).toBe(problem);
  });
});
