import FuzzDriver
import LifecycleAnalysis
import LifecycleSyntax

/// The Terraform readers (HCL and JSON syntax), and the `qovery_job` analysis over them, on any
/// bytes.
@_cdecl("fuzz_terraform_reader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
  FuzzDriver.run { bytes in
    _ = TerraformReader.read(SourceText(bytes: bytes))
    _ = TerraformJSONReader.read(SourceText(bytes: bytes))
    _ = Analyzer.analyzeTerraform(SourceText(bytes: bytes), isJSON: false)
    _ = Analyzer.analyzeTerraform(SourceText(bytes: bytes), isJSON: true)
  }
}
