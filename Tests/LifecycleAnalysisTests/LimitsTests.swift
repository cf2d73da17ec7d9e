import LifecycleAnalysis
import LifecycleSyntax
import Testing

/// Files far larger than their kind can be are not analysed (an editor must stay responsive).
@Suite struct LimitsTests {
  @Test func aHugeSpecIsReportedNotAnalysed() {
    let huge = "name: a\nenvironment:\n" + String(repeating: "  VARIABLE_NAME: some value\n", count: 50_000)
    let analysis = Analyzer.analyze(SourceText(huge), kind: .spec(isJSON: false))
    #expect(analysis.spec == nil)
    #expect(
      analysis.diagnostics.map { "\($0.code) \($0.range) \($0.message)" } == [
        "file-too-large 0..<0 this file is 1.3 MB, more than the 1.0 MB a job spec can be: it is not analysed"
      ])
  }

  @Test func aLargeButPlausibleDockerfileIsAnalysed() {
    let large =
      "FROM alpine\n" + String(repeating: "RUN echo a fairly long line of a build step\n", count: 40_000)
    let analysis = Analyzer.analyze(SourceText(large), kind: .dockerfile)
    #expect(analysis.dockerfile?.instructions.count == 40_001)
    #expect(analysis.diagnostics.isEmpty)
  }
}
