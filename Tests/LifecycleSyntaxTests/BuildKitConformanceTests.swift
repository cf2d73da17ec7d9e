import Foundation
import LifecycleSyntax
import TestSupport
import Testing

/// BuildKit's own parser test files: our parse, dumped in BuildKit's notation, equals each
/// `result`; every negative case yields an error.
@Suite struct BuildKitConformanceTests {
  static let positive = Fixtures.files(in: "corpus/buildkit-parser/testfiles")
  static let negative = Fixtures.files(in: "corpus/buildkit-parser/testfiles-negative")

  @Test func theCorpusIsThere() {
    #expect(Self.positive.count == 33)
    #expect(Self.negative.count == 4)
  }

  @Test(arguments: positive) func positiveCase(_ folder: URL) throws {
    let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("Dockerfile")))
    let expected = try String(contentsOf: folder.appendingPathComponent("result"), encoding: .utf8)
    let dockerfile = DockerfileParser.parse(SourceText(bytes: bytes))
    #expect(dockerfile.errors == [])
    #expect(BuildKitDump.dump(dockerfile) == expected)
  }

  @Test(arguments: negative) func negativeCase(_ folder: URL) throws {
    let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("Dockerfile")))
    let dockerfile = DockerfileParser.parse(SourceText(bytes: bytes))
    #expect(!dockerfile.errors.isEmpty)
  }
}
