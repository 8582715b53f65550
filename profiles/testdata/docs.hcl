# Declares every option of the three bases without defining anything, so
# that `strata options --markdown testdata/docs.hcl` (run in profiles/)
# documents them with their declared defaults: ../docs/options.md.
imports = [
  "<profiles/options/common.hcl>",
  "<profiles/options/iso-image.hcl>",
  "<profiles/options/netboot.hcl>",
]
