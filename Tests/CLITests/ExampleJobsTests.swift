import Foundation
import Testing

/// `check` on the specs written for Qovery's lifecycle-job examples (each following its README),
/// with their real Dockerfiles and Terraform modules: the real problems and nothing else.
@Suite struct ExampleJobsTests {
  @Test func checkReportsTheRealProblemsAndNothingElse() throws {
    let result = try CLI.run(["check", "--format", "json", "Tests/Fixtures/examples"])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let found = (object?["diagnostics"] as? [[String: Any]] ?? []).map { diagnostic in
      "\((diagnostic["path"] as? String ?? "").split(separator: "/").last ?? "") \(diagnostic["code"] as? String ?? ""): \(diagnostic["message"] as? String ?? "")"
    }
    #expect(
      found == [
        "aws-rds-with-terraform.lifecycle-job.yaml missing-terraform-variable: the Terraform variable `eks_cluster_name` (variables.tf) has no default and no tfvars value, and the job does not provide `TF_VAR_eks_cluster_name`: terraform will fail or wait for input; add it under `environment`, `secrets` or `aliases`",
        "shell-script.lifecycle-job.yaml script-not-found: `delete-environment.sh` is not in the image: the Dockerfile copies the job's files to `/app`, which holds no `delete-environment.sh`; did you mean `deleting-environment.sh`?",
      ])
    #expect(result.status == 1)
  }
}

@Suite struct DockerfileAgainstSpecTests {
  @Test func aDockerfileIsCheckedAgainstTheSpecsThatBuildIt() throws {
    let folder = try CLI.temporaryFolder()
    try CLI.write(
      "name: job\nevents:\n  start: [\"-c\", \"terraform apply -auto-approve\"]\n  delete: [\"-c\", \"terraform destroy -auto-approve\"]\nenvironment:\n  TF_VAR_region: us-east-2\n",
      to: folder.appendingPathComponent("lifecycle-job.yaml"))
    try CLI.write("variable \"region\" {}\n", to: folder.appendingPathComponent("variables.tf"))
    try CLI.write(
      "FROM hashicorp/terraform:1.9\nARG TF_VAR_region\nARG TF_VAR_regoin\nARG TF_VAR_bucket\nRUN terraform init -backend-config=bucket=$TF_VAR_bucket -backend-config=region=$TF_VAR_region\nENTRYPOINT [\"/bin/sh\"]\n",
      to: folder.appendingPathComponent("Dockerfile"))
    // Checking the Dockerfile alone finds the spec next to it.
    let result = try CLI.run(["check", "--format", "json", "Dockerfile"], in: folder)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let found = (object?["diagnostics"] as? [[String: Any]] ?? []).map { diagnostic -> String in
      let start = (diagnostic["range"] as? [String: [String: Int]])?["start"] ?? [:]
      return "\(start["line"] ?? -1):\(start["character"] ?? -1) \(diagnostic["code"] as? String ?? "")"
    }
    #expect(found == ["2:4 unknown-terraform-variable", "3:4 missing-build-arg"])
    #expect(result.status == 0)
  }
}
