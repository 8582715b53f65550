# The declarations every base shares: file systems, boot, the system's
# identity, users and services, and the settings hosts commonly make. Importing this module alone declares the
# options without defining anything an image needs.
imports = [
  "./filesystems.hcl",
  "./boot.hcl",
  "./system.hcl",
  "./users.hcl",
  "./host.hcl",
]
