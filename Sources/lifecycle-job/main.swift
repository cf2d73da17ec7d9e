import LifecycleCLI

LifecycleJobCommand.mainWithStatus()
