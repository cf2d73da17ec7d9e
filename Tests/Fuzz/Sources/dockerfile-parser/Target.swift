import FuzzDriver
import LifecycleAnalysis
import LifecycleSyntax

/// The Dockerfile parser and checks, on any bytes.
@_cdecl("fuzz_dockerfile_parser_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run { bytes in _ = Analyzer.analyze(SourceText(bytes: bytes), kind: .dockerfile) }
}
