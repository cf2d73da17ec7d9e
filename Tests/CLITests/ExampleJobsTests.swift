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
