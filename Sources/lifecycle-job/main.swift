import LifecycleCLI
import LifecycleServer

#if canImport(Glibc)
  import Glibc
#endif

// `lifecycle-job lsp` goes straight to the server: an editor starts it often, and argument
// parsing would only add to the time before the `initialize` reply.
let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "lsp", arguments.dropFirst().allSatisfy({ $0 == "--stdio" }) {
  exit(LanguageServer.run(input: 0, output: 1))
}
LifecycleJobCommand.mainWithStatus()
