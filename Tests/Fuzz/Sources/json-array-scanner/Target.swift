import FuzzDriver
import LifecycleSyntax

/// The strict JSON-array scanner of command strings, on any bytes.
@_cdecl("fuzz_json_array_scanner_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run { bytes in _ = JSONArrayScanner.scan(bytes) }
}
