import Foundation
import Testing

/// Partners outside Swift (Python validators, editors). A test that needs one may be skipped on a
/// developer's machine where it is missing, but never in CI (`CI=true`): there it must run or fail.
enum ExternalTools {
  static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// Runs `command` through `/bin/sh -c` and returns its status and combined output.
  static func shell(_ command: String, in directory: URL = CLI.repository) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command + " 2>&1"]
    process.currentDirectoryURL = directory
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// True when `probe` succeeds. Outside CI a missing tool skips the test (with a note).
  static func available(_ probe: String) -> Bool {
    (try? shell(probe).status) == 0
  }
}

@Suite struct SchemaAgreementTests {
  @Test func theSchemaAndCheckJudgeTheFixturesAlike() throws {
    let probe = "python3 -c 'import jsonschema, yaml'"
    guard ExternalTools.available(probe) || ExternalTools.isCI else {
      print("skipped: python3 with jsonschema and PyYAML is not installed")
      return
    }
    let result = try ExternalTools.shell("python3 Tests/Python/schema_agreement.py '\(CLI.binary.path)'")
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.hasSuffix(" fixtures, 0 disagreements\n"), "\(result.output)")
  }
}
