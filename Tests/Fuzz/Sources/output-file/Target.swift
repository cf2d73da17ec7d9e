import FuzzDriver
import LifecycleAnalysis
import LifecycleSyntax

/// The output-file reader with the platform's rules, on any bytes.
@_cdecl("fuzz_output_file_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run { bytes in _ = OutputChecks.check(SourceText(bytes: bytes)) }
}
