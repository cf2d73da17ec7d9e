import LifecycleAnalysis
import LifecycleSyntax
import Testing

@Suite struct VariableTests {
  let start = "  start: [\"-c\", \"./start.sh\"]\n"

  @Test func invalidReservedAndInternalNames() {
    expectDiagnostics(
      spec(
        events: start,
        extra: """
          environment:
            ⟦db-host⟧{invalid-variable-name}: x
            ⟦1ST⟧{invalid-variable-name}: x
            ⟦QOVERY_REGION⟧{reserved-variable-prefix}: x
            ⟦qovery_thing⟧{reserved-variable-prefix}: x
            ⟦__DEBUG⟧{double-underscore-variable}: "1"
            _OK: x
          secrets:
            - ⟦my.secret⟧{invalid-variable-name}
          aliases:
            ⟦QOVERY_ID⟧{reserved-variable-prefix}: QOVERY_JOB_ID

          """))
  }

  @Test func duplicatesAcrossSections() {
    expectDiagnostics(
      spec(
        events: start,
        extra: """
          environment:
            TF_VAR_region: us-east-2
          secrets:
            - ⟦TF_VAR_region⟧{duplicate-variable}
          aliases:
            ⟦TF_VAR_region⟧{duplicate-variable}: QOVERY_CLOUD_PROVIDER_REGION

          """))
    #expect(
      messages(spec(events: start, extra: "environment:\n  A: x\nsecrets:\n  - A\n")) == [
        "duplicate-variable: `A` is already defined as an environment variable; the job gets only one of them"
      ])
  }

  @Test func aliasTargets() {
    let text = spec(events: start, extra: "aliases:\n  TF_VAR_qovery_environment_id: QOVERY_ENVIRONMNT_ID\n")
    #expect(
      messages(text) == [
        "unknown-alias-target: the alias `TF_VAR_qovery_environment_id` stands for `QOVERY_ENVIRONMNT_ID`, which is neither a built-in variable nor defined by this job; did you mean `QOVERY_ENVIRONMENT_ID`?"
      ])
    #expect(
      applyingFix(text, code: "unknown-alias-target")
        == spec(events: start, extra: "aliases:\n  TF_VAR_qovery_environment_id: QOVERY_ENVIRONMENT_ID\n"))
    expectDiagnostics(
      spec(
        events: start,
        extra: """
          environment:
            DATABASE_HOST: db
          aliases:
            A: QOVERY_ENVIRONMENT_ID
            B: QOVERY_POSTGRESQL_Z1A2B3C4D_DATABASE_URL_INTERNAL
            C: QOVERY_APPLICATION_Z1A2B3C4D_HOST_INTERNAL
            D: QOVERY_OUTPUT_JOB_Z1A2B3C4D_DB_HOST
            E: DATABASE_HOST
            F: SOME_PROJECT_VARIABLE
            G: ⟦DATABSE_HOST⟧{unknown-alias-target}
            H: ⟦QOVERY_POSTGRESQL_Z1A2B3C4D_DATABSE_URL⟧{unknown-alias-target}
            I: ⟦QOVERY_NOT_A_THING⟧{unknown-alias-target}

          """))
    #expect(
      messages(spec(events: start, extra: "aliases:\n  H: QOVERY_POSTGRESQL_Z1A2B3C4D_DATABSE_URL\n")).first?
        .hasSuffix(
          "did you mean `QOVERY_POSTGRESQL_Z1A2B3C4D_DATABASE_URL`?") == true)
  }

  @Test func interpolationsInValues() {
    expectDiagnostics(
      spec(
        events: start,
        extra: """
          environment:
            DB_USER: app
            URL: "postgres://{{DB_USER}}@{{QOVERY_ENVIRONMENT_NAME}}/{{FROM_PROJECT}}"
            BAD: "{{⟦DB_USR⟧{undefined-variable}}}"
            WORSE: "{{⟦QOVERY_ENV_NAME⟧{undefined-variable}}}"

          """))
    #expect(
      applyingFix(
        spec(events: start, extra: "environment:\n  DB_USER: a\n  B: \"{{DB_USR}}\"\n"),
        code: "undefined-variable")
        == spec(events: start, extra: "environment:\n  DB_USER: a\n  B: \"{{DB_USER}}\"\n"))
  }

  @Test func referencesInScriptsAndArguments() {
    expectDiagnostics(
      spec(
        events: """
            start: ["-c", "echo $QOVERY_JOB_NAME ${⟦QOVERY_JOBNAME⟧{undefined-variable}} $TF_VAR_region $⟦TF_VAR_regoin⟧{undefined-variable}"]
            stop: ["-c", "echo ${TF_VAR_regoin:-none} $(date) $HOME; X=1; echo $X; for F in a; do echo $F; done"]
            delete: ["--region=$(⟦TF_VAR_regoin⟧{undefined-variable})", "$$(TF_VAR_regoin)"]

          """,
        extra: "environment:\n  TF_VAR_region: us-east-2\n"))
    // Single quotes keep `$` literal.
    expectDiagnostics(spec(events: "  start: [\"-c\", \"echo '$QOVERY_NOPE'\"]\n"))
  }

  @Test func secretsInPlainText() {
    expectDiagnostics(
      spec(
        events: start,
        extra: """
          environment:
            TF_VAR_db_password: ⟦hunter2⟧{secret-in-plain-text}
            GITHUB_TOKEN: ⟦"ghp_abc"⟧{secret-in-plain-text}
            AWS_SECRET_ACCESS_KEY: ⟦abc⟧{secret-in-plain-text}
            STRIPE_KEY: ⟦sk_live⟧{secret-in-plain-text}
            AWS_ACCESS_KEY_ID: AKIA123
            DB_PASSWORD: "{{QOVERY_POSTGRESQL_Z1A2B3C4D_PASSWORD}}"
            EMPTY_TOKEN: ""
            KEYBOARD_LAYOUT: x
            MONKEY: x

          """))
  }

  /// A script that sources a file may read what that file sets.
  @Test func variablesAfterASourcedFileAreUnknown() {
    expectDiagnostics(
      spec(
        events: "  start: [\"-c\", \"echo $⟦DB_USR⟧{undefined-variable} && . ./env.sh && echo $DB_USR\"]\n",
        extra: "environment:\n  DB_USER: app\n"))
  }

  /// Names of real module variables that hold no secret: terraform-aws-modules/terraform-aws-rds
  /// `variables.tf` (`domain_auth_secret_arn`, `manage_master_user_password`),
  /// terraform-aws-modules/terraform-aws-eks `variables.tf` (`create_kms_key`),
  /// terraform-aws-modules/terraform-aws-rds-aurora `modules/dsql/variables.tf`
  /// (`kms_encryption_key`) and `variables.tf` (`master_password_wo`, a secret),
  /// terraform-aws-modules/terraform-aws-iam `modules/iam-user/variables.tf` (`password_length`,
  /// `ssh_public_key`, `pgp_key`: "a base-64 encoded PGP public key").
  @Test func secretNamesReadAsTheyRead() {
    expectDiagnostics(
      spec(
        events: start,
        extra: """
          environment:
            TF_VAR_password_length: "16"
            TF_VAR_create_kms_key: "true"
            TF_VAR_manage_master_user_password: "false"
            TF_VAR_ssh_public_key: ssh-ed25519 AAAA
            TF_VAR_domain_auth_secret_arn: arn:aws:secretsmanager:us-east-1:1:secret:x
            TF_VAR_kms_key_id: alias/app
            TF_VAR_kms_encryption_key: arn:aws:kms:us-east-1:1:key/x
            TF_VAR_pgp_key: keybase:someone
            TF_VAR_master_password_wo_version: "1"
            TF_VAR_master_password_wo: ⟦hunter2⟧{secret-in-plain-text}
            SECRET_NAME: app/db
            DB_PASSWORD: ⟦hunter2⟧{secret-in-plain-text}
            API_TOKEN: ⟦t0k⟧{secret-in-plain-text}
            TF_VAR_master_password: ⟦hunter2⟧{secret-in-plain-text}
            dbPassword: ⟦hunter2⟧{secret-in-plain-text}
            TF_VAR_ssh_private_key: ⟦"-----BEGIN"⟧{secret-in-plain-text}
            CLIENT_SECRET_VALUE: ⟦s3cr3t⟧{secret-in-plain-text}
            PGPASSWORD: ⟦hunter2⟧{secret-in-plain-text}
            APIKEY: ⟦k3y⟧{secret-in-plain-text}
            MONKEY: x
            SECRETS_MANAGER_ARN: arn:aws:secretsmanager:x

          """))
  }
}

@Suite struct SecretOnCommandLineTests {
  @Test func aSecretExpandedIntoTheArgumentsIsReported() {
    expectDiagnostics(
      "name: a\nevents:\n  start: [\"deploy\", \"--token\", \"$(⟦API_TOKEN⟧{secret-on-command-line})\", \"$$(API_TOKEN)\"]\nsecrets:\n  - API_TOKEN\nenvironment:\n  REGION: eu\n  URL: \"x\"\n"
    )
    // Read from the environment, or not a secret: quiet.
    expectDiagnostics(
      "name: a\nevents:\n  start: [\"-c\", \"deploy --token $API_TOKEN --region $(REGION)\"]\nsecrets:\n  - API_TOKEN\nenvironment:\n  REGION: eu\n"
    )
  }
}
