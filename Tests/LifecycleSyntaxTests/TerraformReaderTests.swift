import Foundation
import LifecycleSyntax
import TestSupport
import Testing

@Suite struct TerraformReaderTests {
  static let files: [URL] =
    Fixtures.files(in: "terraform").filter { $0.pathExtension == "tf" }
    + Fixtures.files(in: "corpus/qovery-lifecycle-job-examples/aws-rds-with-terraform").filter {
      $0.pathExtension == "tf"
    }

  /// Our reading, in the shape of `Tests/Python/hcl2_declarations.py`.
  static func declarations(_ url: URL) throws -> String {
    let file = TerraformReader.read(SourceText(bytes: [UInt8](try Data(contentsOf: url))))
    let variables: [[Any]] = file.variables.map {
      [$0.name, $0.defaultExpression != nil, $0.description as Any? ?? NSNull(), $0.isSensitive]
    }
    let outputs: [[Any]] = file.outputs.map { [$0.name, $0.description as Any? ?? NSNull(), $0.isSensitive] }
    let data = try JSONSerialization.data(
      withJSONObject: ["variables": variables, "outputs": outputs], options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  @Test func agreesWithPythonHCL2() throws {
    guard ExternalTools.shouldRun("python3 -c 'import hcl2'", missing: "python-hcl2 is not installed") else {
      return
    }
    #expect(Self.files.count >= 4)
    for url in Self.files {
      let python = try ExternalTools.shell("python3 Tests/Python/hcl2_declarations.py '\(url.path)'")
      #expect(python.status == 0, "\(python.output)")
      let theirs = try JSONSerialization.jsonObject(with: Data(python.output.utf8))
      let normalized = try JSONSerialization.data(withJSONObject: theirs, options: [.sortedKeys])
      #expect(
        try Self.declarations(url) == String(decoding: normalized, as: UTF8.self), "\(url.lastPathComponent)")
    }
  }

  @Test func readsWhatAJobNeeds() throws {
    let source = SourceText(
      "variable \"region\" {\n  type = string\n  default = \"us-east-2\"\n  description = \"Where\"\n}\nvariable \"size\" {\n  type = number\n}\n"
    )
    let file = TerraformReader.read(source)
    #expect(file.variables.map(\.name) == ["region", "size"])
    #expect(file.variables[0].defaultValue == "us-east-2")
    #expect(file.variables[0].type == "string")
    #expect(file.variables[1].defaultExpression == nil)
    #expect(source.text(file.variables[1].nameRange) == "\"size\"")
  }

  @Test func tfvarsAssignments() {
    let file = TerraformReader.read(
      SourceText("region = \"eu-west-3\"\n# comment\ntags = {\n  a = \"b\"\n}\ncount = 3\n"))
    #expect(
      file.assignments.map { "\($0.name)=\($0.expression)" } == [
        "region=\"eu-west-3\"", "tags={\n  a = \"b\"\n}", "count=3",
      ])
  }

  @Test func brokenFilesNeverTrap() {
    let pieces = [
      "variable \"a\" {", "}", "\"", "${", "%{", "$${", "<<EOT\n", "/*", "#", "=", "{", "[", "(", "\n", "x",
      "\\u00e9", "\\u", "\\UD800DC00", "\\U0011FFFF",
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      let text = (0..<Int.random(in: 0..<30, using: &generator)).map { _ in
        pieces.randomElement(using: &generator)!
      }.joined()
      _ = TerraformReader.read(SourceText(text))
    }
    _ = TerraformReader.read(SourceText(bytes: [0xFF, 0x00, 0x22, 0x24, 0x7B]))
    let jsonPieces = [
      "{", "}", "[", "]", "\"variable\"", "\"output\"", "\"a\"", ":", ",", "true", "1", "\"x\"",
    ]
    for _ in 0..<500 {
      let text = (0..<Int.random(in: 0..<30, using: &generator)).map { _ in
        jsonPieces.randomElement(using: &generator)!
      }.joined()
      _ = TerraformJSONReader.read(SourceText(text))
    }
  }
}
