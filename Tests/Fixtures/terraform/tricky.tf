# Comments of all three kinds.
// variable "commented_out" {}
/* variable "also_commented" {
  default = 1
} */
locals {
  name = "x-${var.region}"
  nested = { a = [1, 2, { b = "}" }], c = "{" }
}

variable "region" {
  type        = string
  default     = "us-east-2"
  description = "Where \"it\" runs"
}

variable "tags" {
  type = map(string)
  default = {
    team = "platform"
    env  = "dev"
  }
}

variable "script" {
  type    = string
  default = <<-EOT
    echo "variable \"not_a_variable\" {}"
    EOT
  description = <<EOT
A heredoc description
EOT
}

variable "token" {
  type      = string
  sensitive = true
  validation {
    condition     = length(var.token) > 0
    error_message = "The token must not be empty."
  }
}

variable "no_default" {}

resource "null_resource" "r" {
  triggers = { v = var.region }
  provisioner "local-exec" {
    command = "echo ${jsonencode({ a = "b" })}"
  }
}

output "url" {
  value       = "https://${var.region}.example.com"
  description = "The URL"
}

output "secret" {
  value     = var.token
  sensitive = true
}
