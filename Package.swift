// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "lifecycle-job",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "lifecycle-job", targets: ["lifecycle-job"]),
    // For the libFuzzer targets of Tests/Fuzz, a package of their own.
    .library(name: "LifecycleCore", targets: ["LifecycleSyntax", "LifecycleAnalysis"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // 5.x keeps every pair of a mapping: 6.x throws on a duplicate key and loses the whole tree,
    // and we report duplicates ourselves, on their second occurrence.
    .package(url: "https://github.com/jpsim/Yams", .upToNextMinor(from: "5.0.1")),
  ],
  targets: [
    .target(name: "LifecycleSyntax", dependencies: [.product(name: "Yams", package: "Yams")]),
    .target(name: "LifecycleAnalysis", dependencies: ["LifecycleSyntax"]),
    .target(name: "LifecycleWorkspace", dependencies: ["LifecycleAnalysis"]),
    .target(name: "LifecycleProtocol"),
    .target(name: "LifecycleRunner", dependencies: ["LifecycleAnalysis", "LifecycleWorkspace"]),
    .target(
      name: "LifecycleServer",
      dependencies: ["LifecycleProtocol", "LifecycleAnalysis", "LifecycleWorkspace", "LifecycleRunner"]),
    .target(
      name: "LifecycleCLI",
      dependencies: [
        "LifecycleAnalysis",
        "LifecycleWorkspace",
        "LifecycleProtocol",
        "LifecycleServer",
        "LifecycleRunner",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "lifecycle-job", dependencies: ["LifecycleCLI", "LifecycleServer"]),
    // `swift run -c release lifecycle-job-benchmark`: speed and memory figures, peers side by side.
    .executableTarget(name: "lifecycle-job-benchmark", dependencies: ["LifecycleProtocol"]),
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "LifecycleSyntaxTests", dependencies: ["LifecycleSyntax", "TestSupport"]),
    .testTarget(name: "LifecycleAnalysisTests", dependencies: ["LifecycleAnalysis", "TestSupport"]),
    .testTarget(name: "LifecycleWorkspaceTests", dependencies: ["LifecycleWorkspace", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["LifecycleCLI", "TestSupport"]),
    .testTarget(name: "RunnerTests", dependencies: ["LifecycleRunner", "LifecycleAnalysis", "TestSupport"]),
    .testTarget(name: "ServerTests", dependencies: ["LifecycleServer", "LifecycleProtocol", "TestSupport"]),
  ]
)
