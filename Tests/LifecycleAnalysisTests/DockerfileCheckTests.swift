import LifecycleAnalysis
import LifecycleSyntax
import Testing

@Suite struct DockerfileCheckTests {
  let dockerfile = FileKind.dockerfile

  @Test func aTypicalJobDockerfileIsClean() {
    expectDiagnostics(
      """
      # syntax=docker/dockerfile:1
      ARG TERRAFORM_VERSION=1.9
      FROM hashicorp/terraform:${TERRAFORM_VERSION}
      ARG TF_VAR_aws_region
      ENV AWS_REGION=$TF_VAR_aws_region PATH=/app/bin:$PATH
      WORKDIR /app
      COPY --chmod=755 . .
      RUN <<EOF
      terraform init -backend-config="region=${TF_VAR_aws_region}"
      EOF
      RUN for f in *.tf; do echo $f; done; X=1; echo $X ${UNSET:-default}
      ENTRYPOINT ["/bin/sh"]
      CMD ["-c", "terraform apply -auto-approve"]
      """, kind: dockerfile)
  }

  @Test func syntaxErrors() {
    expectDiagnostics("FROM alpine\nENV ⟦PATH⟧{dockerfile-syntax}\n", kind: dockerfile)
    expectDiagnostics("# only a comment\n⟦⟧{dockerfile-syntax}", kind: dockerfile)
    expectDiagnostics("FROM alpine\nCMD [\"echo\", ⟦[\"nested\"]⟧{dockerfile-syntax}]\n", kind: dockerfile)
    expectDiagnostics("FROM alpine\n⟦RUN⟧{dockerfile-syntax} <<EOF\necho\n", kind: dockerfile)
  }

  @Test func unknownInstructionsAndInstructionsBeforeFrom() {
    expectDiagnostics(
      "⟦WORKDIR⟧{instruction-before-from} /app\nFROM alpine\n⟦COPPY⟧{unknown-instruction} . .\n",
      kind: dockerfile)
    #expect(
      applyingFix("FROM alpine\nCOPPY . .\n", code: "unknown-instruction", kind: dockerfile)
        == "FROM alpine\nCOPY . .\n")
    expectDiagnostics("ARG BASE=alpine\nFROM $BASE\n", kind: dockerfile)
  }

  @Test func brokenExecForms() {
    expectDiagnostics("FROM alpine\nENTRYPOINT [⟦'⟧{exec-form-invalid-json}/bin/sh']\n", kind: dockerfile)
    expectDiagnostics("FROM alpine\nCMD [\"-c\" ⟦\"⟧{exec-form-invalid-json}x\"]\n", kind: dockerfile)
    expectDiagnostics(
      "FROM alpine\nHEALTHCHECK CMD [\"curl\", \"-f\"⟦,⟧{exec-form-invalid-json}]\n", kind: dockerfile)
    expectDiagnostics("FROM alpine\nRUN [\"a\"⟦,⟧{exec-form-invalid-json}\n", kind: dockerfile)
    #expect(
      applyingFix("FROM alpine\nCMD [\"-c\" \"x\"]\n", code: "exec-form-invalid-json", kind: dockerfile)
        == "FROM alpine\nCMD [\"-c\", \"x\"]\n")
    #expect(
      messages("FROM alpine\nENTRYPOINT ['/bin/sh']\n", kind: dockerfile) == [
        "exec-form-invalid-json: the ENTRYPOINT arguments look like a JSON array but are not valid JSON (single quotes are not JSON: strings need double quotes (`\"`)): Docker silently runs the whole text as a shell command"
      ])
    // Shell tests and JSON inside a string are shell commands, not broken arrays.
    expectDiagnostics("FROM alpine\nRUN [ -d /app ] || mkdir /app\nCMD '[\"a\"]'\n", kind: dockerfile)
  }

  @Test func undefinedVariables() {
    expectDiagnostics(
      """
      FROM alpine
      ARG TF_VAR_region
      RUN echo ${⟦TF_VAR_regoin⟧{undefined-variable}} $⟦TF_VAR_bucket⟧{undefined-variable} $⟦QOVERY_JOB_ID⟧{undefined-variable}
      RUN echo $JAVA_HOME $GOPATH $HOME $TARGETARCH
      ENV DATABASE_NAME=app
      WORKDIR /data/$⟦DATABSE_NAME⟧{undefined-variable}
      """, kind: dockerfile)
    // An ARG before FROM is visible only to FROM lines; after FROM it must be declared again.
    expectDiagnostics(
      "ARG TF_VAR_a\nFROM alpine:$TF_VAR_a\nRUN echo $⟦TF_VAR_a⟧{undefined-variable}\n", kind: dockerfile)
    // ENV of an earlier stage carries over to stages built from it.
    expectDiagnostics(
      "FROM alpine AS base\nENV TF_VAR_x=1\nFROM base\nRUN echo $TF_VAR_x\n", kind: dockerfile)
  }

  /// docker-library/php `8.3/bookworm/apache/Dockerfile`: the variables come from
  /// `. "$APACHE_ENVVARS"` earlier in the same RUN. The same names before the `.` still fire.
  @Test func variablesAfterASourcedFileAreUnknown() {
    let apache = """
      FROM debian:bookworm-slim
      ENV APACHE_CONFDIR /etc/apache2
      ENV APACHE_ENVVARS $APACHE_CONFDIR/envvars
      RUN set -eux; \\
      	sed -ri 's/^export ([^=]+)=(.*)$/: ${\\1:=\\2}\\nexport \\1/' "$APACHE_ENVVARS"; \\
      	. "$APACHE_ENVVARS"; \\
      	for dir in "$APACHE_LOCK_DIR" "$APACHE_RUN_DIR" "$APACHE_LOG_DIR"; do \\
      		chown "$APACHE_RUN_USER:$APACHE_RUN_GROUP" "$dir"; \\
      	done
      RUN source /etc/profile && echo "$APACHE_CONFDIRS"
      """
    expectDiagnostics(apache, kind: dockerfile)
    expectDiagnostics(
      apache.replacingOccurrences(of: "\t. \"$APACHE_ENVVARS\"; \\\n", with: "")
        .replacingOccurrences(of: "$APACHE_RUN_DIR", with: "$⟦APACHE_RUN_DIR⟧{undefined-variable}")
        .replacingOccurrences(of: "$APACHE_LOG_DIR", with: "$⟦APACHE_LOG_DIR⟧{undefined-variable}")
        .replacingOccurrences(of: "source /etc/profile", with: "true")
        .replacingOccurrences(of: "$APACHE_CONFDIRS", with: "$⟦APACHE_CONFDIRS⟧{undefined-variable}"),
      kind: dockerfile)
  }

  /// The message says "empty here" only where no base image can set the variable: a FROM line
  /// (global ARGs only), or outside RUN in a stage that starts from scratch. From
  /// microsoft/vscode-dev-containers `containers/azure-ansible/.devcontainer/Dockerfile` (a RUN
  /// reads `${UPGRADE_PACKAGES}`, the ARG is `upgradePackages`) and moby/buildkit
  /// `frontend/dockerfile/dockerfile_check_test.go` (`COPY $DIR_ASSET .`).
  @Test func undefinedVariableMessagesClaimOnlyWhatIsCertain() {
    let text = """
      ARG VERSION=1
      FROM alpine:$VERSIONS
      ARG upgradePackages=true
      RUN bash common-debian.sh "${UPGRADE_PACKAGES}"
      ARG DIR_ASSETS=assets/
      COPY $DIR_ASSET .
      FROM scratch
      ARG DIR_ASSETS=assets/
      COPY $DIR_ASSET .
      """
    #expect(
      messages(text, kind: dockerfile) == [
        "undefined-variable: `$VERSIONS` is declared by no ARG or ENV before this line, so it is empty here; did you mean `VERSION`?",
        "undefined-variable: `$UPGRADE_PACKAGES` is declared by no ARG or ENV before this line, so it is empty unless the base image sets it; did you mean `upgradePackages`?",
        "undefined-variable: `$DIR_ASSET` is declared by no ARG or ENV before this line, so it is empty unless the base image sets it; did you mean `DIR_ASSETS`?",
        "undefined-variable: `$DIR_ASSET` is declared by no ARG or ENV before this line, so it is empty here; did you mean `DIR_ASSETS`?",
      ])
  }
}
