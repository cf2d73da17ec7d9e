import FuzzDriver
import LifecycleAnalysis
import LifecycleSyntax

/// The spec reader (YAML and JSON) and every spec check, on any bytes.
@_cdecl("fuzz_spec_reader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run { bytes in
    let source = SourceText(bytes: bytes)
    _ = Analyzer.analyze(source, kind: .spec(isJSON: false))
    _ = Analyzer.analyze(source, kind: .spec(isJSON: true))
  }
}
