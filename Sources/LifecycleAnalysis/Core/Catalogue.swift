extension Rule {
  /// Every rule, in the order of the README's catalogue.
  public static let catalogue: [Rule] = [
    .yamlSyntax, .jsonSyntax, .duplicateKey, .unknownKey, .missingKey, .wrongType, .invalidValue, .outOfRange,
    .timeoutTooLong, .conflictingKeys,
    .commandNotArray, .commandInvalidJSON, .commandElementNotString, .commandEmpty, .commandEmptyArgument,
    .typographicQuotes, .entrypointHasSpaces, .shellScriptMissing, .shellExtraArguments, .interactiveCommand,
    .outputPath,
    .invalidVariableName, .reservedVariablePrefix, .doubleUnderscoreVariable, .duplicateVariable,
    .unknownAliasTarget, .undefinedVariable, .secretInPlainText,
    .outputInvalidJSON, .outputNotObject, .outputInvalidKey, .outputEntryNotObject, .outputEntryInvalid,
    .outputDuplicateKey,
  ]
}
