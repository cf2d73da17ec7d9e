extension Rule {
  /// Every rule, in the order of the README's catalogue.
  public static let catalogue: [Rule] = [
    .fileTooLarge,
    .yamlSyntax, .jsonSyntax, .duplicateKey, .unknownKey, .missingKey, .wrongType, .invalidValue, .outOfRange,
    .timeoutTooLong, .conflictingKeys,
    .commandNotArray, .commandInvalidJSON, .commandElementNotString, .commandEmpty, .commandEmptyArgument,
    .typographicQuotes, .entrypointHasSpaces, .shellScriptMissing, .shellExtraArguments, .interactiveCommand,
    .outputPath,
    .invalidVariableName, .reservedVariablePrefix, .doubleUnderscoreVariable, .duplicateVariable,
    .unknownAliasTarget, .undefinedVariable, .secretInPlainText, .secretOnCommandLine,
    .outputInvalidJSON, .outputNotObject, .outputInvalidKey, .outputEntryNotObject, .outputEntryInvalid,
    .outputDuplicateKey,
    .dockerfileSyntax, .unknownInstruction, .instructionBeforeFrom, .execFormInvalidJSON,
    .fileNotFound, .rootOutsideRepository, .argumentsIgnored, .noShellEntrypoint, .shellSyntaxWithoutShell,
    .noDeleteEvent, .unknownTerraformVariable, .missingTerraformVariable, .scriptNotFound, .missingBuildArg,
    .jobFilesUnknown,
  ]
}

extension Rule {
  /// The README's Diagnostics catalogue: a Markdown table per area (a test keeps the README equal).
  public static func markdownCatalogue() -> String {
    var text = ""
    for area in Area.allCases {
      let rules = catalogue.filter { $0.area == area }
      guard !rules.isEmpty else { continue }
      text += "\n**\(area.rawValue)**\n\n| Code | Severity | Meaning |\n|---|---|---|\n"
      for rule in rules {
        text +=
          "| `\(rule.code)` | \(rule.severity.rawValue) | \(rule.summary.replacing("|", with: "\\|")) |\n"
      }
    }
    return text
  }
}
