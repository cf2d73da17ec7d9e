// swift-tools-version: 6.1
// libFuzzer targets for the readers of untrusted input. Built apart from the product (a
// fuzzer's `main` comes from libFuzzer):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address --package-path Tests/Fuzz
//   .build/release/fuzz-spec-reader -max_total_time=60   (see run.sh)
import PackageDescription

let targets = ["spec-reader", "json-array-scanner", "dockerfile-parser", "terraform-reader", "output-file"]

let package = Package(
  name: "lifecycle-job-fuzz",
  dependencies: [.package(name: "lifecycle-job", path: "../..")],
  targets: [
    .target(name: "FuzzDriver", path: "Sources/FuzzDriver")
  ]
    + targets.map { name in
      .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzDriver", .product(name: "LifecycleCore", package: "lifecycle-job")],
        path: "Sources/\(name)",
        // No Swift `main`: SwiftPM points `main` at `<module>_main`, which hands over to libFuzzer.
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
