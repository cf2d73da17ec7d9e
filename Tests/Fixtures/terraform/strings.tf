# HCL string escapes and templates, as Terraform reads them (issue 14).
variable "accent" {
  type        = string
  default     = "caf\u00e9"
  description = "Caf\u00e9 \U0001F600: tab\there, \"quoted\", back\\slash, new\nline"
}

variable "literal_templates" {
  description = "Escaped: $${not_a_template} and %%{not_a_directive}"
}

variable "directive" {
  description = "Region %{ if true }east%{ else }west%{ endif } only"
}

variable "interpolated" {
  default     = "x-${local.suffix}"
  description = "Built from ${local.suffix}"
}

variable "after_templates" {
  description = "Read after the templates above: { } \" ${"}"} %{ for x in [] }${x}%{ endfor }"
}

variable "bad_escape" {
  description = "A \u00 short escape and \q"
}

output "accented" {
  value       = var.accent
  description = "\u00c9t\u00e9"
}
