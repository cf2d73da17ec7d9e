extension Rule {
  static let outputInvalidJSON = Rule(
    "output-invalid-json", .error, .output,
    summary: "The output file is not valid JSON: the platform ignores all of it.",
    explanation: """
      The platform reads `/qovery-output/qovery-output.json` with a strict JSON parser; a syntax \
      error (or a number too large for a 64-bit float) loses every output, with only a warning in \
      the deployment log.
      """,
    example: "{\"db_host\": {\"value\": \"db.local\"},}",
    fixed: "{\"db_host\": {\"value\": \"db.local\"}}")

  static let outputNotObject = Rule(
    "output-not-object", .error, .output,
    summary: "The output file is valid JSON but not an object: the platform ignores it.",
    explanation: "The file is one object whose keys are the output names.",
    example: "[{\"db_host\": \"db.local\"}]",
    fixed: "{\"db_host\": {\"value\": \"db.local\"}}")

  static let outputInvalidKey = Rule(
    "output-invalid-key", .error, .output,
    summary: "A key outside `^[a-zA-Z_][a-zA-Z0-9_]*$`: the whole file is rejected.",
    explanation:
      "Keys become variable names; a single dashed or dotted key makes the platform drop every output.",
    example: "{\"db-host\": {\"value\": \"db.local\"}}",
    fixed: "{\"db_host\": {\"value\": \"db.local\"}}")

  static let outputEntryNotObject = Rule(
    "output-entry-not-object", .warning, .output,
    summary: "An entry that is not an object `{\"value\": ...}`: silently skipped.",
    explanation:
      "Each entry is an object with `value` (any JSON), optional `sensitive` (boolean) and `description` (string). A plain string entry creates no variable.",
    example: "{\"db_host\": \"db.local\"}",
    fixed: "{\"db_host\": {\"value\": \"db.local\"}}")

  static let outputEntryInvalid = Rule(
    "output-entry-invalid", .warning, .output,
    summary: "An entry whose `sensitive` is not a boolean or whose `description` is not a string: skipped.",
    explanation: "The platform cannot read such an entry and skips it.",
    example: "{\"db_password\": {\"value\": \"x\", \"sensitive\": \"yes\"}}",
    fixed: "{\"db_password\": {\"value\": \"x\", \"sensitive\": true}}")

  static let outputDuplicateKey = Rule(
    "output-duplicate-key", .warning, .output,
    summary: "Two keys that are equal once upper-cased: only one variable survives.",
    explanation: "Keys are upper-cased to make variable names, so `db_host` and `DB_HOST` collide.",
    example: "{\"db_host\": {\"value\": \"a\"}, \"DB_HOST\": {\"value\": \"b\"}}",
    fixed: "{\"db_host\": {\"value\": \"a\"}}")
}
