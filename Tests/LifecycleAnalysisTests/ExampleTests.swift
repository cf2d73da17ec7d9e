import Foundation
import LifecycleAnalysis
import LifecycleSyntax
import TestSupport
import Testing

/// Specs for the real jobs of Qovery/lifecycle-job-examples, following what each README says its
/// events run: the checks must not raise a single false alarm on them.
@Suite struct ExampleTests {
  static let specs = Fixtures.files(in: "examples").filter {
    $0.lastPathComponent.hasSuffix(".lifecycle-job.yaml")
  }

  @Test func thereIsASpecPerExample() {
    #expect(Self.specs.count == 5)
  }

  @Test(arguments: specs) func noFalseAlarm(_ url: URL) throws {
    let source = SourceText(bytes: [UInt8](try Data(contentsOf: url)))
    let diagnostics = Analyzer.analyze(source, kind: .spec(isJSON: false)).diagnostics
    #expect(diagnostics.map { "\($0.code): \($0.message)" } == [])
  }

  @Test func theInitSampleIsClean() throws {
    // `lifecycle-job init` writes the same spec; the CLI tests run it end to end.
    let text = """
      name: demo
      events:
        start: ["-c", "./scripts/start.sh"]
      environment:
        GREETING: "hello from {{QOVERY_ENVIRONMENT_NAME}}"
      aliases:
        ENVIRONMENT_ID: QOVERY_ENVIRONMENT_ID
      """
    #expect(messages(text) == [])
  }
}
