import Foundation
import LifecycleAnalysis
import TestSupport
import Testing

@Suite struct ReadmeTests {
  static let readme = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("README.md")

  /// The catalogue between the markers is exactly `Rule.markdownCatalogue()`.
  @Test func theDiagnosticsCatalogueListsEveryRule() throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    let begin = "<!-- catalogue:begin -->\n"
    let end = "<!-- catalogue:end -->"
    let start = try #require(text.range(of: begin)).upperBound
    let stop = try #require(text.range(of: end)).lowerBound
    #expect(String(text[start..<stop]) == Rule.markdownCatalogue() + "\n")
  }

  @Test func everyCodeIsUnique() {
    let codes = Rule.catalogue.map(\.code)
    #expect(Set(codes).count == codes.count)
  }
}
