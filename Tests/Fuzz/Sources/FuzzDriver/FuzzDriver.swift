#if canImport(Glibc)
  import Glibc
#endif

/// Hands a test function to libFuzzer's driver (`LLVMFuzzerRunDriver`), from a Swift `main`.
public enum FuzzDriver {
  nonisolated(unsafe) static var body: ([UInt8]) -> Void = { _ in }

  public static func run(_ test: @escaping ([UInt8]) -> Void) -> CInt {
    body = test
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    let status = runDriver(&argc, &argv) { data, size in
      FuzzDriver.body(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
      return 0
    }
    return status
  }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// libFuzzer's entry point, which its driver's objects name: the test `run` was given.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzDriver.body(size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}
