import Foundation
import TestSupport
import Testing

@Suite struct SchemaAgreementTests {
  @Test func theSchemaAndCheckJudgeTheFixturesAlike() throws {
    guard
      ExternalTools.shouldRun(
        "python3 -c 'import jsonschema, yaml'", missing: "python3 with jsonschema and PyYAML is not installed"
      )
    else { return }
    let result = try ExternalTools.shell("python3 Tests/Python/schema_agreement.py '\(CLI.binary.path)'")
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.hasSuffix(" fixtures, 0 disagreements\n"), "\(result.output)")
  }
}
